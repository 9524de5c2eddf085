"""`make present NB=..` finds the notebook and serves it with Voila on the loopback
interface, with a token and without code cells (checked on the command line; the browser
tests run it)."""

import pytest

from course_lib.tools import present


@pytest.fixture
def folder(tmp_path):
    for name in ("00_orientation", "01_gradient_descent", "02_momentum_and_nesterov"):
        (tmp_path / f"{name}.ipynb").write_text("{}")
    return tmp_path


@pytest.mark.parametrize(
    "spec", ["2", "02", "02_momentum_and_nesterov", "02_momentum_and_nesterov.ipynb"]
)
def test_find_notebook_by_number_or_name(folder, spec):
    assert present.find_notebook(spec, folder).name == "02_momentum_and_nesterov.ipynb"


def test_find_notebook_by_path(folder):
    path = folder / "01_gradient_descent.ipynb"
    assert present.find_notebook(str(path), folder) == path.resolve()
    assert present.find_notebook(path, folder) == path.resolve()  # a Path object too


@pytest.mark.parametrize("spec", ["7", "momentum", "", "1x"])
def test_unknown_notebook_names_the_available_ones(folder, spec):
    with pytest.raises(ValueError, match="available: 00_orientation, 01_gradient_descent"):
        present.find_notebook(spec, folder)


def test_voila_command_is_loopback_token_and_no_code(tmp_path):
    cmd = present.voila_command(tmp_path / "x.ipynb", 9999, token="secret", open_browser=False)
    assert cmd[1:3] == ["-m", "voila"]
    for flag in (
        "--Voila.ip=127.0.0.1",
        "--Voila.port=9999",
        "--Voila.token=secret",
        "--VoilaConfiguration.strip_sources=True",
        "--Voila.open_browser=False",
    ):
        assert flag in cmd
    assert not any("0.0.0.0" in part for part in cmd)
    generated = present.voila_command(tmp_path / "x.ipynb", 9999)
    assert "--Voila.auto_token=True" in generated  # never served without a token
