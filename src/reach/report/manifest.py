"""What a run records about itself: git state, package versions, input fingerprints (``manifest.json``).

The manifest carries the SHA-256 of its own content (``manifest_sha256``, :func:`seal`), so
``reach verify`` can tell a ``manifest.json`` edited after the run (:func:`seal_intact` is False)
from a raw file that changed since (the manifest is intact, the file's hash is not the one recorded).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import platform
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reach import __version__
from reach.config import project_root
from reach.store import json_text, sha256_file

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


#: The key of the manifest's own fingerprint.
SEAL_KEY = "manifest_sha256"


def manifest_digest(manifest: Mapping[str, Any]) -> str:
    """SHA-256 of a manifest's content without its own fingerprint, as :func:`reach.store.write_json` writes it.

    Examples
    --------
    >>> manifest_digest({"month": "2026-10"}) == manifest_digest({"month": "2026-10", SEAL_KEY: "x"})
    True
    """
    content = {key: value for key, value in manifest.items() if key != SEAL_KEY}
    return hashlib.sha256(json_text(content).encode("utf-8")).hexdigest()


def seal(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """The manifest with the SHA-256 of its content added under ``manifest_sha256``.

    Examples
    --------
    >>> seal_intact(seal({"month": "2026-10"}))
    True
    """
    return {**manifest, SEAL_KEY: manifest_digest(manifest)}


def seal_intact(manifest: Mapping[str, Any]) -> bool | None:
    """Whether a manifest still matches the fingerprint it carries.

    Returns
    -------
    bool or None
        True when unchanged since it was sealed, False when edited after, None when it carries
        no fingerprint (written by a reach older than the seal).

    Examples
    --------
    >>> sealed = seal({"month": "2026-10"})
    >>> seal_intact({**sealed, "month": "2026-11"}), seal_intact({"month": "2026-10"})
    (False, None)
    """
    recorded = manifest.get(SEAL_KEY)
    if recorded is None:
        return None
    return recorded == manifest_digest(manifest)


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


#: Files of the package whose content makes up the code fingerprint.
CODE_SUFFIXES = (".py", ".j2", ".json", ".css", ".cfg")


def code_sha256() -> str:
    """SHA-256 of the ``reach`` package's code and templates (every file's path and bytes, in order).

    ``reach verify`` warns when the code it runs differs from the code that made the report, since
    a difference may come from that rather than from the inputs. The bundled sample data is left out.

    Examples
    --------
    >>> len(code_sha256())
    64
    """
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(package)
        if path.suffix in CODE_SUFFIXES and path.is_file() and relative.parts[0] != "sample_data":
            if "__pycache__" not in relative.parts:
                digest.update(relative.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


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
    """The audit record of one run (``manifest.json``), sealed with the SHA-256 of its content (:func:`seal`).

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
    return seal(
        {
            "reach_version": __version__,
            "month": month,
            "sample": sample,
            "git": git_state(),
            "code_sha256": code_sha256(),
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
            "notebooks": [
                {"path": relative_to_root(path), "sha256": sha256_file(path)} for path in notebooks
            ],
            "config": {"path": relative_to_root(config_path), "sha256": sha256_file(config_path)},
        }
    )
