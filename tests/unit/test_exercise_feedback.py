"""A student's function that forgets its return statement is told so, in every notebook."""

import pytest

from course_lib.exercises import nb01, nb04, nb09


@pytest.mark.parametrize("check", [nb01.check_gd_step, nb04.check_halving, nb09.check_lstm_step])
def test_a_function_returning_none_is_told_it_forgot_to_return(check, capsys):
    assert check(lambda *args: None) is False
    assert "returned None (missing return?)" in capsys.readouterr().out
