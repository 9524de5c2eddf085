"""The README's course map matches the catalog and the notebooks on disk."""

import re
from pathlib import Path

from course_lib.tools import catalog
from course_lib.tools.catalog import COURSE

ROOT = Path(__file__).resolve().parents[2]


def readme_map_rows():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- course-map.*?-->(.*?)<!-- /course-map -->", text, re.S)
    assert block, "README has no course-map block"
    return [line for line in block.group(1).splitlines() if re.match(r"^\| \d\d \|", line)]


def test_readme_map_lists_every_notebook_with_its_status():
    rows = readme_map_rows()
    assert len(rows) == len(COURSE)
    for row, entry in zip(rows, COURSE, strict=True):
        assert row.startswith(f"| {entry.number} |")
        assert entry.title in row
        assert entry.ready == (ROOT / "notebooks" / entry.file).exists(), entry
        if entry.ready:
            assert "✅ ready" in row and f"(notebooks/{entry.file})" in row, row
        else:
            assert "planned" in row and "](" not in row, row


def test_readme_has_the_two_commands_and_troubleshooting():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for needle in (
        "python course.py lab",
        "python course.py test",
        "py course.py lab",
        "make lab",
        "make test",
        "environment.yml",
        "constraints.txt",
        "IntSlider(value=",
        "127.0.0.1",
    ):
        assert needle in text


def test_launch_links_are_made_from_the_one_repository_address():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- launch-links.*?-->(.*?)<!-- /launch-links -->", text, re.S).group(1)
    assert f"]({catalog.binder_url()})" in block
    assert f"]({catalog.colab_url('00_orientation.ipynb')})" in block
    owner_repo = catalog.REPOSITORY.removeprefix("https://github.com/")
    for path in [ROOT / "README.md", *sorted((ROOT / "notebooks").glob("*.ipynb"))]:
        text = path.read_text(encoding="utf-8")
        for found in re.findall(
            r"(?:github\.com|colab\.research\.google\.com/github|mybinder\.org/v2/gh)/([\w.-]+/[\w.-]+)",
            text,
        ):
            assert found == owner_repo, f"{path.name} names {found}, not {owner_repo}"
