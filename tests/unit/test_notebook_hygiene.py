"""Every notebook ships clean and follows the anatomy of DESIGN.md."""

import json
import re
from pathlib import Path

import pytest

from course_lib.tools.catalog import COURSE

NOTEBOOKS = sorted((Path(__file__).parents[2] / "notebooks").glob("*.ipynb"))
PLANNED = {e.file for e in COURSE}
SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    dirty = [i for i, c in enumerate(cells(path)) if c.get("outputs") or c.get("execution_count")]
    assert not dirty, f"{path.name}: cells {dirty} have outputs; run `nbstripout {path}`"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_cell_has_slide_metadata(path):
    missing = [
        i
        for i, c in enumerate(cells(path))
        if c.get("metadata", {}).get("slideshow", {}).get("slide_type") not in SLIDE_TYPES
    ]
    assert not missing, f"{path.name}: cells {missing} lack metadata.slideshow.slide_type"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_section_starts_a_slide(path):
    """The title and each "## " section open a new slide, so a slideshow follows the notes."""
    wrong = [
        i
        for i, c in enumerate(cells(path))
        if c["cell_type"] == "markdown"
        and re.match(r"#{1,2} ", "".join(c["source"]))
        and c["metadata"]["slideshow"]["slide_type"] != "slide"
    ]
    assert not wrong, f"{path.name}: section cells {wrong} are not of slide_type 'slide'"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_anatomy(path):
    text = [("".join(c["source"]), c["cell_type"]) for c in cells(path)]
    first = text[0][0]
    assert text[0][1] == "markdown" and first.startswith("# "), "starts with a title"
    if not path.name.startswith("00_"):
        assert "What you will learn" in first and "Prerequisites" in first
        headings = [s for s, kind in text if kind == "markdown"]
        assert any(re.search(r"^## Summary", s, re.M) for s in headings), "has a Summary"
        assert any(re.search(r"^## Exercises", s, re.M) for s in headings), "has Exercises"
        solutions = [c for c in cells(path) if "solution" in c.get("metadata", {}).get("tags", [])]
        assert solutions, "has solutions"
        for c in solutions:
            assert c["metadata"].get("jupyter", {}).get("source_hidden"), "solutions are collapsed"
            assert c["metadata"]["slideshow"]["slide_type"] == "skip", "slides skip solutions"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_relative_links_point_to_files(path):
    for source, kind in ((("".join(c["source"])), c["cell_type"]) for c in cells(path)):
        if kind != "markdown":
            continue
        for target in re.findall(r"\]\(([^)#:]+\.ipynb)\)", source):
            # Links to notebooks not written yet are allowed only if they are in the plan.
            assert target in PLANNED, f"{path.name} links to {target}, not in the catalog"


def test_every_notebook_is_in_the_catalog():
    assert {p.name for p in NOTEBOOKS} <= PLANNED
