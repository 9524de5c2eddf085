"""The guard every exercise check runs in (course_lib.exercises._feedback): copies of the
inputs, a time limit, answers in the wrong form named as such, no traceback ever."""

import signal
import threading
import time

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

from course_lib.exercises import _feedback, _timelimit, nb01, nb03, nb04, nb07, nb09
from course_lib.exercises._feedback import Checker


@pytest.mark.parametrize("check", [nb01.check_gd_step, nb04.check_halving, nb09.check_lstm_step])
def test_a_function_returning_none_is_told_it_forgot_to_return(check, capsys):
    assert check(lambda *args: None) is False
    assert "returned None (missing return?)" in capsys.readouterr().out


def test_a_right_step_that_changes_its_inputs_in_place_is_accepted(capsys):
    def in_place(U, W, b, V, c, x, s_prev):
        b += U @ x + W @ s_prev  # b now holds the pre-activation
        o = V @ np.tanh(b) + c
        return np.tanh(b), np.exp(o) / np.exp(o).sum()

    assert nb07.check_rnn_step(in_place), capsys.readouterr().out


def test_the_expected_values_shown_come_from_the_checkers_own_inputs(capsys):
    def spoils_then_wrong(U, W, b, V, c, x, s_prev):
        U[...] = 0
        b[...] = 0
        return np.zeros_like(s_prev), np.full(len(c), 1 / len(c))

    assert not nb07.check_rnn_step(spoils_then_wrong)
    p, x, s_prev = nb07._case(0)
    expected_s = np.tanh(p["U"] @ x + p["W"] @ s_prev + p["b"])
    assert np.array2string(expected_s, precision=6) in capsys.readouterr().out


def test_the_issues_examples_get_feedback_not_a_traceback(capsys):
    assert not nb09.check_gru_state(lambda s, i, st: np.zeros(7))
    assert "expected shape (4,), got shape (7,)" in capsys.readouterr().out
    assert not nb03.check_updates_per_epoch(lambda n, b: np.array([1, 2]))
    assert "expected a number, got an array of shape (2,)" in capsys.readouterr().out


def test_numbers_as_text_or_truth_values_are_not_numbers(capsys):
    assert not nb04.check_step_decay(lambda lr0, drop, every, t: str(lr0 * drop ** (t // every)))
    assert "got the text '1.0': return the number itself" in capsys.readouterr().out
    assert not nb01.check_lr_threshold("0.2")
    assert "got the text '0.2'" in capsys.readouterr().out
    assert not nb03.check_updates_per_epoch(lambda n, b: True)
    assert "True (a truth value)" in capsys.readouterr().out


def test_lists_for_arrays_and_arrays_for_pairs_of_numbers_are_accepted(capsys):
    assert nb09.check_gru_state(lambda s, i, st: ((1 - i) * s + i * st).tolist())
    assert nb01.check_gd_step(
        lambda w, b, eta, X, Y: np.array(nb01.neuron.gradient(w, b, X, Y)) * -eta + [w, b]
    )
    assert capsys.readouterr().out.count("✅") == 2


def test_an_error_names_the_students_line(capsys):
    def grad_b(w, b, X, Y):
        f = 1 / (1 + np.exp(-(w * X + b)))
        return np.sum((f - Y) * f * (1 - f)) @ X

    assert not nb01.check_grad_b(grad_b)
    out = capsys.readouterr().out
    line = "`return np.sum((f - Y) * f * (1 - f)) @ X`)"  # in a notebook: the cell's line
    assert "your function raised ValueError (line " in out and line in out


def test_a_check_that_trips_over_an_answer_reports_it_and_never_raises(capsys):
    with Checker("a checker with a bug") as c:
        c.close("x", 1.0, 1.0)
        {}["missing"]  # noqa: B018 - stands for any bug a strange answer may reveal
    assert c.report() is False and isinstance(c.internal_error, KeyError)
    assert "could not finish" in capsys.readouterr().out


def test_slips_that_raise_simply_do_not_match(capsys):
    with Checker("slips") as c:
        c.close("x", 2.0, 1.0, slips={"never": lambda got: got[5], "doubled": 2.0})
    assert not c.report() and "doubled" in capsys.readouterr().out


def forever(*args):
    while True:
        pass


def test_a_loop_that_never_ends_is_stopped_and_the_alarm_put_back(capsys, monkeypatch):
    # Fail, not hang, where the alarm cannot stop the loop (off the main thread).
    assert _timelimit.can_interrupt(), "tests must run on the main thread (pytest-xdist>=3.6)"
    monkeypatch.setattr(_feedback, "TIME_LIMIT", 0.1)
    before = signal.getsignal(signal.SIGALRM)
    assert not nb04.check_exponential_decay(forever)
    assert "your function was stopped: it ran for more than 0.1 s" in capsys.readouterr().out
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_the_limit_is_for_the_whole_check(capsys, monkeypatch):
    monkeypatch.setattr(_feedback, "TIME_LIMIT", 0.3)
    calls = []

    def slowish(lr0, k, t):  # 0.12 s per call, 4 calls: over the limit only in total
        calls.append(t)
        time.sleep(0.12)
        return lr0 * np.exp(-k * t)

    assert not nb04.check_exponential_decay(slowish)
    assert "stopped" in capsys.readouterr().out and len(calls) == 3


def test_off_the_main_thread_the_check_says_it_is_waiting(capsys, monkeypatch):
    monkeypatch.setattr(_feedback, "TIME_LIMIT", 0.05)
    monkeypatch.setattr(_timelimit, "NOTICE_DELAY", 0.05)
    results = []

    def slow(lr0, k, t):
        time.sleep(0.4)
        return lr0 * np.exp(-k * t)

    worker = threading.Thread(target=lambda: results.append(nb04.check_exponential_decay(slow)))
    worker.start()
    worker.join()
    out = capsys.readouterr().out
    assert results == [False]
    assert "⏳ still waiting for your function after 0.05 s" in out
    assert "your function took 0.4 s, more than the time limit of 0.05 s" in out


def test_an_outer_timer_is_left_alone(capsys, monkeypatch):
    """pytest-timeout and the like arm the same timer: the checker then only waits."""
    monkeypatch.setattr(_feedback, "TIME_LIMIT", 0.05)
    monkeypatch.setattr(_timelimit, "NOTICE_DELAY", 10.0)
    previous = signal.signal(signal.SIGALRM, lambda *a: None)
    signal.setitimer(signal.ITIMER_REAL, 60.0)
    try:
        assert not nb04.check_exponential_decay(lambda lr0, k, t: time.sleep(0.2) or lr0)
        assert 50 < signal.getitimer(signal.ITIMER_REAL)[0] <= 60
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert "took 0.2 s" in capsys.readouterr().out


CELLS = [
    "import threading, time\n"
    "from course_lib.exercises import _feedback, _timelimit, nb04\n"
    "_feedback.TIME_LIMIT, _timelimit.NOTICE_DELAY = 0.2, 0.1\n"
    "def forever(lr0, k, t):\n    while True:\n        pass",
    "print(nb04.check_exponential_decay(forever))",
    "box = []\n"
    "worker = threading.Thread(target=lambda: box.append(nb04.check_exponential_decay(\n"
    "    lambda lr0, k, t: time.sleep(0.6) or lr0)))\n"
    "worker.start(); worker.join(); print(box)",
]


def test_in_a_jupyter_kernel_a_loop_is_stopped_and_a_thread_says_it_waits():
    """Notebooks run cells in the kernel's main thread, where the alarm works."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    texts = ["".join(o.get("text", "") for o in cell.outputs) for cell in nb.cells]
    assert "your function was stopped: it ran for more than 0.2 s" in texts[1]
    assert texts[1].rstrip().endswith("False")
    assert "⏳ still waiting for your function" in texts[2]
    assert "your function took 0.6 s" in texts[2] and "[False]" in texts[2]
