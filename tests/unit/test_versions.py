"""The declared versions agree everywhere: pyproject.toml holds the bounds (checked as true
by CI's oldest corner, which installs every lower bound), environment.yml repeats them for
conda, and constraints.txt pins versions inside them."""

import re
from pathlib import Path

import pytest

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not (REPO / "pyproject.toml").exists(), reason="no checkout")


def declared() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    return [Requirement(r) for r in project["dependencies"] + extras["lab"] + extras["test"]]


def lower_bound(req: Requirement) -> Version:
    [bound] = [s.version for s in req.specifier if s.operator == ">="]
    return Version(bound)


def test_every_dependency_has_a_lower_bound():
    for req in declared():
        assert lower_bound(req), req


def test_python_bound_matches_the_launcher_and_ruff():
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'requires-python = ">=3.10"' in text and 'target-version = "py310"' in text
    assert "MINIMUM_PYTHON = (3, 10)" in (REPO / "course.py").read_text(encoding="utf-8")


def test_the_lock_pins_every_dependency_within_its_bounds():
    pins = {}
    for line in (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9_.-]+)==([^ ;]+)", line)
        if m:
            pins.setdefault(canonicalize_name(m.group(1)), []).append(m.group(2))
    for req in declared():
        versions = pins.get(canonicalize_name(req.name))
        assert versions, f"constraints.txt does not pin {req.name}"
        for v in versions:
            assert req.specifier.contains(v, prereleases=True), f"{req.name}=={v} vs {req}"


def test_conda_environment_repeats_the_runtime_and_lab_bounds():
    conda = {}
    for line in (REPO / "environment.yml").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\s+- ([a-z0-9_-]+)>=([0-9.]+)$", line)
        if m:
            conda[m.group(1).replace("matplotlib-base", "matplotlib")] = Version(m.group(2))
    assert conda.pop("python") == Version("3.10")
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [
        Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["lab"]
    ]
    assert conda == {canonicalize_name(r.name): lower_bound(r) for r in wanted}
