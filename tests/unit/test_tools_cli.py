"""The tools' command lines refuse a bad command line as every command-line tool does:
argparse prints the usage and names the option at fault on stderr, and exits with status 2
(the robustness table checks the Python value of ``argv``; see api_table_tools.py)."""

from __future__ import annotations

import pytest

from course_lib.tools import colab, workspace


@pytest.mark.parametrize(
    ("main", "argv", "named"),
    [
        (colab.main, [], "notebooks"),
        (colab.main, ["--not-an-option", "x.ipynb"], "--not-an-option"),
        (workspace.main, [], "command"),
        (workspace.main, ["no-such-command"], "no-such-command"),
        (workspace.main, ["sync", "--not-an-option"], "--not-an-option"),
        (workspace.main, ["present", "02", "--port", "high"], "--port"),
        (workspace.main, ["present"], "notebook"),
    ],
)
def test_a_bad_command_line_exits_with_the_usage_naming_the_option(main, argv, named, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: python -m course_lib.tools.")
    assert named in err.splitlines()[-1]


@pytest.mark.parametrize("main", [colab.main, workspace.main])
@pytest.mark.parametrize("argv", ["sync", ("sync", 3)])
def test_argv_given_as_one_str_or_with_a_number_is_a_type_error(main, argv):
    with pytest.raises(TypeError, match="argv"):
        main(argv)
