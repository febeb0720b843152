"""What a run records about itself: git state, package versions, input fingerprints (``manifest.json``)."""

from __future__ import annotations

import importlib.metadata
import platform
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reach import __version__
from reach.config import project_root
from reach.store import sha256_file

if TYPE_CHECKING:
    from reach.build import BuildResult

KEY_PACKAGES = (
    "reach",
    "pandas",
    "numpy",
    "pyarrow",
    "statsmodels",
    "scipy",
    "matplotlib",
    "papermill",
    "nbconvert",
    "nbclient",
    "ipykernel",
    "pandera",
)


def relative_to_root(path: Path) -> str:
    """Write ``path`` relative to the project root when it lies inside it, else absolute.

    Notebook parameters use this, so a reviewer's clone elsewhere re-runs the same notebook.
    """
    path = Path(path).resolve()
    try:
        return path.relative_to(project_root()).as_posix()
    except ValueError:
        return str(path)


def git_state() -> dict[str, Any]:
    """Return the project's git commit and whether the work tree had uncommitted changes."""
    root = project_root()
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True, timeout=20
        ).stdout.strip()
        dirty = (
            subprocess.run(
                ["git", "status", "--porcelain", "--untracked-files=no"],
                cwd=root,
                capture_output=True,
                text=True,
                check=True,
                timeout=20,
            ).stdout.strip()
            != ""
        )
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit, "dirty": dirty}


def package_versions() -> dict[str, str | None]:
    """Versions of the key packages actually imported by this run."""
    versions = {}
    for name in KEY_PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def build_manifest(
    month: str,
    sample: bool,
    parameters: Mapping[str, Any],
    build: BuildResult,
    notebooks: Sequence[Path],
    config_path: Path,
    raw_dir: Path,
    reference_dir: Path,
) -> dict[str, Any]:
    """The audit record of one run (``manifest.json``).

    Parameters
    ----------
    month : str
        Reporting month.
    sample : bool
        Whether the bundled sample was used.
    parameters : Mapping
        Notebook parameters.
    build : reach.build.BuildResult
        The build, with the hashes of every input file.
    notebooks : sequence of pathlib.Path
        Source notebooks executed.
    config_path : pathlib.Path
        The settings file used.
    raw_dir, reference_dir : pathlib.Path
        Where the raw exports and reference tables were read from (for ``reach verify``).

    Returns
    -------
    dict
    """
    return {
        "reach_version": __version__,
        "month": month,
        "sample": sample,
        "git": git_state(),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "packages": package_versions(),
        "parameters": dict(parameters),
        "raw_dir": relative_to_root(raw_dir),
        "reference_dir": relative_to_root(reference_dir),
        "inputs": [
            {key: record[key] for key in ("path", "role", "sha256", "bytes", "kind")}
            for record in build.input_files
        ],
        "notebooks": [{"path": relative_to_root(path), "sha256": sha256_file(path)} for path in notebooks],
        "config": {"path": relative_to_root(config_path), "sha256": sha256_file(config_path)},
    }
