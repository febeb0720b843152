"""One run of a month at a time: real processes, no mocks.

A real ``reach run`` holds the month while a second run, a ``reach verify`` and a waiting run of
the same month are refused, each naming the holder; then it is killed, and the next run removes
the staging folder it left.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from tests.conftest import REPO_ROOT, run_cli, sample_month

pytestmark = pytest.mark.integration
SAMPLE = REPO_ROOT / "src" / "reach" / "sample_data"


def one_line_error(result: subprocess.CompletedProcess) -> str:
    errors = [line for line in result.stderr.splitlines() if line.startswith("reach: ") and "error" in line]
    assert len(errors) == 1, result.stderr
    assert "Traceback" not in result.stderr and "unexpected" not in result.stderr
    return errors[0]


def _wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.1)


def _kill(process: subprocess.Popen) -> None:
    """Kill a run and its kernels (which run in sessions of their own), as a user's kill -9 would leave them."""
    psutil = pytest.importorskip("psutil")
    try:
        children = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    for child in children:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass


def test_second_run_and_verify_are_refused_and_a_killed_runs_staging_is_removed(tmp_path):
    month = sample_month()
    reports = tmp_path / "reports"
    empty = tmp_path / "empty-raw"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "REACH_PROJECT_ROOT"}
    log = (tmp_path / "first.log").open("w")
    first = subprocess.Popen(
        [sys.executable, "-m", "reach", "run", "--sample", "--reports", str(reports),
         "--processed", str(tmp_path / "processed")],
        cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        holder = reports / f".reach-{month}.holder.json"
        _wait_for(
            lambda: holder.is_file() and list(reports.glob(f".staging-{month}-*")), 120, "the first run"
        )
        assert json.loads(holder.read_text())["pid"] == first.pid
        (staging,) = reports.glob(f".staging-{month}-*")

        expected = (
            f"reach: error: {month} is in use by another reach process (pid {first.pid} on {socket.gethostname()}, "
            "started "
        )
        second = run_cli(
            "run", "--sample", "--reports", str(reports), "--processed", str(tmp_path / "second")
        )
        assert second.returncode == 1
        line = one_line_error(second)
        assert line.startswith(expected), line
        assert (
            f"running `reach run --sample --reports {reports} --processed {tmp_path / 'processed'}`" in line
        )
        assert not (tmp_path / "second").exists()  # it wrote nothing

        verify = run_cli("verify", "--month", month, "--reports", str(reports))
        assert verify.returncode == 1
        assert one_line_error(verify).startswith(expected)

        waiting = run_cli("run", "--sample", "--reports", str(reports), "--processed", str(tmp_path / "third"),
                          "--wait", "1")  # fmt: skip
        assert waiting.returncode == 1
        assert f"reach: {month} is in use by another reach process (pid {first.pid} " in waiting.stderr
        assert "waiting up to 1 s for it to finish" in waiting.stderr
        assert one_line_error(waiting).startswith(
            f"reach: error: {month} is in use by another reach process after waiting 1 s"
        )

        # A run of another month removes its own month's dead staging folder, not the live one of this month.
        other = "2026-09" if month != "2026-09" else "2026-08"
        dead = reports / f".staging-{other}-killed"
        dead.mkdir()
        result = run_cli("run", "--month", other, "--raw", str(empty), "--reference", str(SAMPLE / "reference"),
                         "--reports", str(reports), "--processed", str(tmp_path / "other"))  # fmt: skip
        assert result.returncode == 1
        assert not dead.exists()
        assert staging.is_dir()
        assert first.poll() is None  # the first run was never disturbed
    finally:
        _kill(first)
        log.close()

    assert staging.is_dir()  # what a kill leaves behind
    after = run_cli("run", "--month", month, "--raw", str(empty), "--reference", str(SAMPLE / "reference"),
                    "--reports", str(reports), "--processed", str(tmp_path / "after"))  # fmt: skip
    assert after.returncode == 1
    assert f"reach: removed 1 staging folder(s) left by runs that were killed: {staging.name}" in after.stderr
    assert "no exports for" in one_line_error(after)  # the lock was free: it got as far as reading the month
    assert not staging.exists()
    assert not (reports / f".reach-{month}.holder.json").exists()
