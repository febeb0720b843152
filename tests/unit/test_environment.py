"""pyproject.toml and environment.yml must declare the same packages and versions."""

import re
import tomllib

import yaml

from tests.conftest import REPO_ROOT

# conda spells a few things differently: `=0.13` is pip's `==0.13.*`, and some names differ.
CONDA_TO_PIP = {"python": None, "pip": None}
CONDA_NAMES = {"python-duckdb": "duckdb"}


def _pip_requirements():
    data = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    project = data["project"]
    reqs = list(project["dependencies"]) + [r for r in project["optional-dependencies"]["test"]]
    return {
        re.split(r"[<>=!~ ]", r, maxsplit=1)[0].lower(): _normalise(
            r[len(re.split(r"[<>=!~ ]", r, maxsplit=1)[0]) :]
        )
        for r in reqs
    }


def _normalise(spec):
    spec = spec.replace(" ", "")
    # pip "==0.13.*" and conda "=0.13" mean the same thing
    spec = re.sub(r"^==(\d+(?:\.\d+)*)\.\*$", r"=\1", spec)
    return spec


def _conda_requirements():
    env = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())
    out = {}
    items = []
    for item in env["dependencies"]:
        if isinstance(item, dict):
            items.extend(i.split("#")[0].strip() for i in item.get("pip", []) if not i.startswith("-"))
        else:
            items.append(item)
    for item in items:
        name = re.split(r"[<>=!~ ]", item, maxsplit=1)[0].lower()
        if name in CONDA_TO_PIP:
            continue
        out[CONDA_NAMES.get(name, name)] = _normalise(item[len(name) :])
    return out


def test_same_packages_and_versions():
    assert _conda_requirements() == _pip_requirements()


def test_conda_forge_only():
    env = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())
    assert env["channels"][0] == "conda-forge"
    assert "defaults" not in env["channels"]
    assert "nodefaults" in env["channels"]


def test_pins_from_the_toolchain_notes():
    reqs = _pip_requirements()
    assert "<3.13" in reqs["matplotlib"]
    assert "<10" in reqs["pytest"]


def test_reviewer_lock_pins_every_dependency_within_its_range():
    from packaging.requirements import Requirement

    lock = {}
    for line in (REPO_ROOT / "requirements" / "lock-py3.11.txt").read_text().splitlines():
        if "==" in line and not line.lstrip().startswith("#"):
            name, version = line.split("==", 1)
            lock[name.strip().lower().replace("_", "-")] = version.split(";")[0].strip()
    data = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    for text in data["project"]["dependencies"] + data["project"]["optional-dependencies"]["test"]:
        requirement = Requirement(text)
        name = requirement.name.lower().replace("_", "-")
        assert name in lock, f"{name} missing from requirements/lock-py3.11.txt: run make lock"
        assert requirement.specifier.contains(lock[name], prereleases=True), (
            f"{name}=={lock[name]} outside {text}"
        )
