"""course_lib's data ship inside the package and are found wherever it is installed.

In CI the wheel corner runs these tests against course_lib installed from its wheel into a
fresh environment (COURSE_LIB_FROM_WHEEL=1), and executes the notebooks from a copy of
notebooks/ outside the checkout (.ci/run)."""

import fnmatch
import os
import re
import sysconfig
from pathlib import Path

import pytest

import course_lib
from course_lib import DATA_DIR, checkpoint, sequences, wordmodels

SHIPPED = {
    "words.txt",
    "words-COPYRIGHT.txt",
    "words_rnn.npz",
    "words_lstm.npz",
    "words_gru.npz",
    "word_lr.npz",
    "recall.npz",
    "recall_rnn_gap10.npz",
    "recall_rnn_gap40.npz",
    "recall_lstm_gap10.npz",
    "recall_lstm_gap40.npz",
    "recall_gru_gap10.npz",
    "recall_gru_gap40.npz",
    "gated.npz",
}
REPO = Path(__file__).resolve().parents[2]


def test_data_dir_is_a_folder_inside_the_package():
    assert isinstance(DATA_DIR, Path) and DATA_DIR.is_dir()
    assert DATA_DIR.parent == Path(course_lib.__file__).parent
    assert SHIPPED <= {p.name for p in DATA_DIR.iterdir()}


def test_the_loaders_read_the_shipped_files():
    words = sequences.load_words()
    assert len(words) == 3000 and words == sorted(words)
    assert "Kevin Atkinson" in (DATA_DIR / "words-COPYRIGHT.txt").read_text(encoding="utf-8")
    for name in wordmodels.NAMES:
        assert checkpoint.shipped(f"words_{name}").parent == DATA_DIR
        assert wordmodels.shipped(name).model == name


@pytest.mark.skipif(not (REPO / "pyproject.toml").exists(), reason="no checkout")
def test_every_data_file_is_declared_as_package_data():
    """A new file in course_lib/data/ that no pattern covers would be missing from the wheel."""
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    block = re.search(r"\[tool\.setuptools\.package-data\]\s*course_lib = \[(.*?)\]", text, re.S)
    assert block, "pyproject.toml declares no package data for course_lib"
    patterns = re.findall(r'"([^"]+)"', block.group(1))
    source = REPO / "course_lib" / "data"
    for path in source.iterdir():
        rel = f"data/{path.name}"
        assert any(fnmatch.fnmatch(rel, p) for p in patterns), f"{rel} is not package data"


@pytest.mark.skipif(not os.environ.get("COURSE_LIB_FROM_WHEEL"), reason="wheel corner only")
def test_course_lib_comes_from_the_installed_wheel_not_the_checkout():
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    assert Path(course_lib.__file__).resolve().is_relative_to(site), course_lib.__file__
    assert not Path(course_lib.__file__).resolve().is_relative_to(REPO)
