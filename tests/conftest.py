"""Shared fixtures and the rule for tests that read ../shared (present only on developers' machines)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    """The read-only ../shared folder; tests using it skip where it is absent (a user's clone)."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present (it exists only on the developers' machines and in CI)")
    return SHARED


@dataclass(frozen=True)
class SampleRun:
    """A real `reach run --sample` into a temporary folder, shared by the slow tests."""

    reports: Path
    processed: Path
    month: str
    stdout: str
    stderr: str

    @property
    def report_dir(self) -> Path:
        return self.reports / self.month

    @property
    def summary(self) -> dict:
        return json.loads((self.report_dir / "summary.json").read_text())


def run_cli(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run `python -m reach ...` exactly as a user would, capturing both streams."""
    env = {k: v for k, v in os.environ.items() if k != "REACH_PROJECT_ROOT"}
    return subprocess.run(
        [sys.executable, "-m", "reach", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=REPO_ROOT,
    )


def sample_month() -> str:
    raw = REPO_ROOT / "src" / "reach" / "sample_data" / "raw"
    return sorted(p.name for p in raw.iterdir() if p.is_dir())[-1]


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory) -> SampleRun:
    """Run the whole batch on the bundled sample once per test session."""
    base = tmp_path_factory.mktemp("sample-run")
    reports, processed = base / "reports", base / "processed"
    result = run_cli("run", "--sample", "--reports", str(reports), "--processed", str(processed))
    assert result.returncode == 0, f"reach run --sample failed:\n{result.stderr}"
    return SampleRun(reports, processed, sample_month(), result.stdout, result.stderr)
