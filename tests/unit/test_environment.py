"""pyproject.toml and environment.yml must declare the same packages and versions."""

import re
import tomllib

import yaml

from tests.conftest import REPO_ROOT

# conda spells a few things differently: `=0.13` is pip's `==0.13.*`.
CONDA_TO_PIP = {"python": None, "pip": None}


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
    for item in env["dependencies"]:
        if isinstance(item, dict):
            continue
        name = re.split(r"[<>=!~ ]", item, maxsplit=1)[0].lower()
        if name in CONDA_TO_PIP:
            continue
        out[name] = _normalise(item[len(name) :])
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
