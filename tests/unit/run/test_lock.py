"""The month lock and the removal of staging folders killed runs left (reach.run.lock), with real processes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import pytest

from reach.run import lock

HOLD = """
import sys
from pathlib import Path
from reach.run.lock import month_lock
with month_lock(Path(sys.argv[1]), sys.argv[2], command="reach run --month " + sys.argv[2]):
    print("held", flush=True)
    sys.stdin.read()
"""


@pytest.fixture
def holder(tmp_path):
    """Start another process that holds a month's lock until the test ends."""
    processes = []

    def hold(month: str) -> subprocess.Popen:
        process = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path), month], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, text=True)  # fmt: skip
        processes.append(process)
        assert process.stdout.readline().strip() == "held"
        return process

    yield hold
    for process in processes:
        process.stdin.close()
        process.wait(timeout=30)


class TestMonthLock:
    def test_holder_is_recorded_while_held_and_removed_after(self, tmp_path):
        with lock.month_lock(tmp_path, "2026-10", command="reach run --month 2026-10") as path:
            assert path == tmp_path / ".reach-2026-10.lock"
            info = json.loads(lock.holder_path(tmp_path, "2026-10").read_text())
            assert (info["pid"], info["host"], info["command"]) == (
                os.getpid(),
                socket.gethostname(),
                "reach run --month 2026-10",
            )
            assert len(info["started"]) == len("2026-11-03 09:15:02+00:00")
        assert not lock.holder_path(tmp_path, "2026-10").exists()

    def test_held_by_another_process_names_it(self, tmp_path, holder):
        other = holder("2026-10")
        with pytest.raises(lock.MonthLockedError) as info, lock.month_lock(tmp_path, "2026-10"):
            pass
        message = str(info.value)
        assert message.startswith(
            f"2026-10 is in use by another reach process (pid {other.pid} on {socket.gethostname()}, started "
        )
        assert "running `reach run --month 2026-10`" in message
        assert "\n" not in message

    def test_waiting_says_so_and_gives_up(self, tmp_path, holder):
        holder("2026-10")
        said = []
        start = time.monotonic()
        with (
            pytest.raises(lock.MonthLockedError, match="after waiting 0.5 s"),
            lock.month_lock(tmp_path, "2026-10", wait=0.5, say=said.append),
        ):
            pass
        assert time.monotonic() - start >= 0.5
        assert said and said[0].endswith("waiting up to 0.5 s for it to finish")

    def test_other_months_are_not_blocked(self, tmp_path, holder):
        holder("2026-10")
        with lock.month_lock(tmp_path, "2026-09"):
            pass

    def test_lock_is_free_once_its_process_ends(self, tmp_path, holder):
        other = holder("2026-10")
        other.kill()
        other.wait(timeout=30)
        with lock.month_lock(tmp_path, "2026-10"):
            pass


class TestRemoveStaleStaging:
    def test_only_folders_of_months_nobody_runs(self, tmp_path, holder):
        reports, processed = tmp_path, tmp_path / "processed"
        names = [
            ".staging-2026-10-dead",
            ".staging-2026-09-live",
            ".staging-2026-08-dead",
            ".staging-notes",
            "2026-07",
        ]
        for name in names:
            (reports / name).mkdir(parents=True)
        (processed / ".staging-2026-10-dead").mkdir(parents=True)
        (processed / ".staging-2026-09-other").mkdir(parents=True)
        holder("2026-09")
        with lock.month_lock(reports, "2026-10"):
            removed = lock.remove_stale_staging(reports, "2026-10", processed)
        assert sorted(path.relative_to(tmp_path).as_posix() for path in removed) == [
            ".staging-2026-08-dead", ".staging-2026-10-dead", "processed/.staging-2026-10-dead",
        ]  # fmt: skip
        for kept in (
            ".staging-2026-09-live",
            ".staging-notes",
            "2026-07",
            "processed/.staging-2026-09-other",
        ):
            assert (tmp_path / kept).is_dir(), kept
