"""Every exercise checker against the answers students actually write.

The right answers are the notebooks' own solution cells (read from the .ipynb files), so a
checker that rejects a notebook's solution fails here. Each wrong kind of answer is made from
the right one (None, NaN, text, a tuple of the wrong length, the sign flipped, a loop that
never ends, inputs changed in place, ...); every one must give False with printed feedback,
within the time limit, without a traceback and without the checker's own backstop ("could
not finish"). The few forms the checkers accept on purpose (a list for an array, a 0-d
array for a number, inputs changed after the answer was computed) must give True.

Counts (reported by the closing note of issue 15): one test per (checker, kind) below.
"""

from __future__ import annotations

import ast
import copy
import functools
import importlib
import inspect
import json
import math
import numbers
import time
from pathlib import Path

import numpy as np
import pytest

from course_lib.exercises import _feedback, _timelimit

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
#: The time limit while a check runs an answer that never ends (the default is seconds).
QUICK_LIMIT = 0.1


def _checkers() -> dict:
    """Every ``check_…`` of every notebook module: name -> function."""
    found = {}
    for number in range(1, 11):
        module = __import__(f"course_lib.exercises.nb{number:02d}", fromlist=["_"])
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("check_") and fn.__module__ == module.__name__:
                found[name] = fn
    return found


# What the notebooks' solution cells may use: NumPy, math and the course's maths modules.
NAMESPACE = {"np": np, "math": math} | {
    name: importlib.import_module(f"course_lib.{name}")
    for name in ("neuron", "optim", "schedules", "batching", "sequences", "rnn", "lstm", "gru",
                 "functions", "gradcheck")
}  # fmt: skip


def _solutions() -> dict:
    """``assert check_x(answer)`` in the notebooks' solution cells: name -> answer."""
    found = {}
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            if "solution" not in cell["metadata"].get("tags", []):
                continue
            tree = ast.parse("".join(cell["source"]))
            namespace = dict(NAMESPACE)
            defs = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
            exec(compile(ast.Module(defs, []), str(path), "exec"), namespace)
            for node in tree.body:
                call = node.test if isinstance(node, ast.Assert) else None
                if isinstance(call, ast.Call) and getattr(call.func, "id", "").startswith("check"):
                    expr = ast.Expression(call.args[0])
                    found[call.func.id] = eval(compile(expr, str(path), "eval"), namespace)
    return found


CHECKERS = _checkers()
SOLUTIONS = _solutions()


def test_every_checker_has_a_notebook_solution_and_accepts_it(capsys):
    assert set(SOLUTIONS) == set(CHECKERS)
    assert len(CHECKERS) >= 30  # the notebooks' exercises when this suite was written
    for name, check in CHECKERS.items():
        assert check(SOLUTIONS[name]) is True, capsys.readouterr().out


# -- kinds of answer, made from the right one ------------------------------------------------
def _leaves_map(x, f):
    """``x`` with every number and array in it replaced by ``f(leaf)``."""
    if isinstance(x, dict):
        return {k: _leaves_map(v, f) for k, v in x.items()}
    if isinstance(x, tuple | list):
        return type(x)(_leaves_map(v, f) for v in x)
    return f(x)


def _each(f):
    """A wrong answer: the right one with ``f`` applied to each number/array in it."""
    return lambda right: lambda *a: _leaves_map(right(*a), f)


def _whole(make):
    """A wrong answer: ``make(right_answer)``."""
    return lambda right: lambda *a: make(right(*a))


def _fixed(value):
    return lambda right: lambda *a: value


def _raises(exc):
    def make(right):
        def answer(*a):
            raise exc

        return answer

    return make


def _loops(right):
    def answer(*a):
        while True:
            pass

    return answer


def _sleeps(right):
    def answer(*a):
        time.sleep(10)
        return right(*a)

    return answer


def _swallows(right):
    def answer(*a):
        while True:
            try:
                time.sleep(0.01)
            except Exception:  # a student's catch-all must not swallow the time limit
                pass

    return answer


def _recurses(right):
    def answer(*a):
        return answer(*a)

    return answer


def _change(x):
    """Change an argument in place (arrays, lists, dicts of arrays); True if it could."""
    if isinstance(x, np.ndarray) and x.size:
        x[...] = 0 if x.dtype.kind in "iu" else x + 1.0
        return True
    if isinstance(x, list) and x:
        x[:] = [v * (i + 2) for i, v in enumerate(x)]
        return True
    if isinstance(x, dict):
        return any([_change(v) for v in x.values()])
    return False


def _corrupts(right):
    def answer(*a):
        for x in a:
            _change(x)
        return right(*a)  # computed from the changed inputs: wrong

    return answer


def _changes_after(right):
    def answer(*a):
        result = copy.deepcopy(right(*a))
        for x in a:
            _change(x)
        return result  # right: the inputs changed only after

    return answer


def _slow_but_fine(right):
    def answer(*a):
        time.sleep(0.002)
        return right(*a)

    return answer


def _constant(right):
    first = []

    def answer(*a):
        if not first:
            first.append(right(*a))
        return first[0]  # the first case's answer, hard-coded

    return answer


def _scalars_only(right):
    def scalar(x):
        if isinstance(x, np.ndarray | list):
            return float(x)  # what `float(w)` or `math.exp(w)` does to an array: TypeError
        if isinstance(x, dict):
            return {k: scalar(v) for k, v in x.items()}
        return x

    return lambda *a: right(*[scalar(x) for x in a])


def _extra(x):
    if isinstance(x, tuple | list):
        return type(x)([*x, x[-1]])
    if isinstance(x, dict):
        return {**x, "extra": next(iter(x.values()))}
    if isinstance(x, np.ndarray) and x.ndim:
        return np.concatenate([x, x[-1:]])
    return (x, x)


def _short(x):
    if isinstance(x, tuple | list | np.ndarray) and np.ndim(x):
        return x[:-1]
    if isinstance(x, dict):
        return dict(list(x.items())[1:])
    return []


def _zero_d(x):
    return np.asarray(x) if np.ndim(x) == 0 else x


def _to_list(x):
    return x.tolist() if isinstance(x, np.ndarray) else x


# name -> (how to make the answer from the right one, accepted?)
FUNCTION_KINDS = {
    "right": (lambda right: right, True),
    "returns None": (_fixed(None), False),
    "raises ValueError": (_raises(ValueError("boom")), False),
    "raises NotImplementedError": (_raises(NotImplementedError), False),
    "raises KeyboardInterrupt": (_raises(KeyboardInterrupt), False),
    "calls exit()": (_raises(SystemExit(1)), False),
    "recurses forever": (_recurses, False),
    "loops forever": (_loops, False),
    "sleeps 10 s": (_sleeps, False),
    "loops, catching every Exception": (_swallows, False),
    "NaN everywhere": (_each(lambda a: np.full(np.shape(a), np.nan)[()]), False),
    "inf everywhere": (_each(lambda a: np.full(np.shape(a), np.inf)[()]), False),
    "numbers as text": (_each(lambda a: np.asarray(a).astype(str)[()]), False),
    "the whole answer as text": (_whole(str), False),
    "numbers as truth values": (_each(lambda a: (np.asarray(a) != 0)[()]), False),
    "True": (_fixed(True), False),
    "complex numbers": (_each(lambda a: np.asarray(a) + 1j), False),
    "sign flipped": (_each(lambda a: -a), False),
    "off by 0.1 %": (_each(lambda a: a * 1.001 + 1e-3), False),
    "wrapped in a list": (_whole(lambda r: [r]), False),
    "one value too many": (_whole(_extra), False),
    "one value too few": (_whole(_short), False),
    "parts in reverse order": (_whole(lambda r: r[::-1]), False),
    "a dict": (_whole(lambda r: {"answer": r}), False),
    "an object": (_fixed(object()), False),
    "the function itself": (_whole(lambda r: print), False),
    "a generator": (_whole(lambda r: (x for x in [r])), False),
    "the first case's answer for every case": (_constant, False),
    "for scalars only": (_scalars_only, False),
    "computes from inputs it changed": (_corrupts, False),
    "changes its inputs after computing": (_changes_after, True),
    "arrays as lists": (_each(_to_list), True),
    "numbers as 0-d arrays": (_each(_zero_d), True),
    "slow but within the limit": (_slow_but_fine, True),
}
TIME_KINDS = {"loops forever", "sleeps 10 s", "loops, catching every Exception"}


@functools.cache
def _calls(name: str) -> list[tuple]:
    """The arguments of each call the checker makes, recorded from a run of the right answer."""
    calls = []

    def spy(*a):
        calls.append(copy.deepcopy(a))
        return SOLUTIONS[name](*a)

    assert CHECKERS[name](spy)
    return calls


def _applies(kind: str, name: str) -> bool:
    """Kinds that are the right answer in disguise for some checkers are left out there:
    changing or refusing arrays where no input is an array, reversing what is no tuple."""
    calls = _calls(name)
    if kind in ("for scalars only", "computes from inputs it changed"):
        return any(isinstance(x, dict | list) or np.size(x) > 1 for a in calls for x in a)
    if kind == "parts in reverse order":
        return isinstance(SOLUTIONS[name](*copy.deepcopy(calls[0])), tuple)
    return True


FUNCTION_CHECKS = sorted(n for n, s in SOLUTIONS.items() if callable(s))
RUNS = [(name, kind) for name in FUNCTION_CHECKS for kind in FUNCTION_KINDS]


def _run(check, answer, capsys) -> tuple[bool, str]:
    result = check(answer)
    out = capsys.readouterr().out
    assert isinstance(result, bool)
    assert "Traceback" not in out and "could not finish" not in out, out
    return result, out


@pytest.mark.parametrize(("name", "kind"), RUNS, ids=[f"{n}-{k}" for n, k in RUNS])
def test_function_checker_against_a_kind_of_answer(name, kind, capsys, monkeypatch):
    check, right = CHECKERS[name], SOLUTIONS[name]
    if not _applies(kind, name):
        pytest.skip(f"{kind!r} does not apply to {name}")
    capsys.readouterr()
    make, accepted = FUNCTION_KINDS[kind]
    if kind in TIME_KINDS:  # fail, not hang, where the alarm cannot stop the loop
        assert _timelimit.can_interrupt(), "tests must run on the main thread (pytest-xdist>=3.6)"
    with monkeypatch.context() as patch:
        if kind in TIME_KINDS:
            patch.setattr(_feedback, "TIME_LIMIT", QUICK_LIMIT)
        result, out = _run(check, make(right), capsys)
    assert result is accepted, out
    if not accepted:
        assert out.startswith("❌") and "\n   • " in out, out
    if kind in TIME_KINDS:
        assert "your function was stopped" in out, out
    assert check(right), "a wrong answer must not change what the checker expects next time"


# -- checkers of a value (a number, or a name) ---------------------------------------------
VALUE_CHECKS = sorted(n for n, s in SOLUTIONS.items() if isinstance(s, numbers.Real))

VALUE_KINDS = {
    "right": (lambda v: v, True),
    "a NumPy float": (np.float64, True),
    "a 0-d array": (np.asarray, True),
    "None": (lambda v: None, False),
    "as text": (str, False),
    "True": (lambda v: True, False),
    "in a list": (lambda v: [v], False),
    "in an array": (lambda v: np.array([v]), False),
    "NaN": (lambda v: float("nan"), False),
    "inf": (lambda v: float("inf"), False),
    "negated": (lambda v: -v, False),
    "ten times": (lambda v: 10 * v, False),
    "a tenth": (lambda v: v / 10, False),
    "complex": (lambda v: complex(v, 1), False),
    "a function": (lambda v: lambda: v, False),
}
VALUE_RUNS = [(name, kind) for name in VALUE_CHECKS for kind in VALUE_KINDS]


@pytest.mark.parametrize(("name", "kind"), VALUE_RUNS, ids=[f"{n}-{k}" for n, k in VALUE_RUNS])
def test_value_checker_against_a_kind_of_answer(name, kind, capsys):
    make, accepted = VALUE_KINDS[kind]
    result, out = _run(CHECKERS[name], make(SOLUTIONS[name]), capsys)
    assert result is accepted, out


#: Checkers whose answer is a name: checker -> {answer: accepted}. Besides the right name in
#: other cases and spacing, the wrong names on offer and answers that are no name at all.
NAME_TABLES = {
    "check_at_threshold": {
        "oscillates": True, " oscillates ": True, "OSCILLATES": True, "converges": False,
        "diverges": False, "oscillate": False, None: False, 0.2: False, True: False,
        b"oscillates": False, ("oscillates",): False, "": False,
    },
    "check_fastest": {
        "Momentum": True, " momentum ": True, "MOMENTUM": True, "NAG": False, "GD": False,
        "Adam": False, None: False, 3: False, True: False, b"Momentum": False,
        ("Momentum",): False, "": False,
    },
}  # fmt: skip
NAME_RUNS = [(name, answer) for name, table in NAME_TABLES.items() for answer in table]


@pytest.mark.parametrize(("name", "answer"), NAME_RUNS, ids=[f"{n}-{a!r}" for n, a in NAME_RUNS])
def test_the_named_answer_checkers(name, answer, capsys):
    result, out = _run(CHECKERS[name], answer, capsys)
    assert result is NAME_TABLES[name][answer], out


#: Checkers whose answer is a pair of numbers: checker -> [(answer, accepted), ...], the
#: right pair in the forms accepted and the wrong ones students write.
PAIR_TABLES = {
    "check_valley_tuning": [
        ((0.2, 0.84), True), ([0.2, 0.84], True), (np.array([0.2, 0.84]), True),
        ((np.float64(0.2), np.asarray(0.84)), True), ((0.84, 0.2), False),
        ((0.04, 0.9), False), ((0.2,), False), ((0.2, 0.84, 0.5), False), (0.2, False),
        (None, False), ("(0.2, 0.84)", False), (("0.2", "0.84"), False), ((True, 0.84), False),
        ((0.2, True), False), ((float("nan"), 0.84), False), ((0.2, float("inf")), False),
        ((-0.2, 0.84), False), ((0.0, 0.84), False), ((0.2, 1.0), False), ((0.2, -0.1), False),
        ((1e300, 0.5), False), ({"eta": 0.2, "gamma": 0.84}, False), ((0.2j, 0.84), False),
        (lambda: (0.2, 0.84), False),
    ],
    "check_truncation_lengths": [
        ((4, 8), True), ([4, 8], True), (np.array([4, 8]), True), ((4.0, np.int64(8)), True),
        ((8, 4), False), ((4, 9), False), ((3, 8), False), ((4,), False), ((4, 8, 9), False),
        (4, False), (None, False), ("4, 8", False), (("4", "8"), False), ((True, 8), False),
        ((4, float("nan")), False), ((4.5, 8), False), ((4, float("inf")), False),
        ({"0.5": 4, "1": 8}, False), (lambda: (4, 8), False), ((None, 8), False),
    ],
    "check_ambiguous_steps": [
        (([2, 4, 6], list(range(2, 12))), True), ([[2, 4, 6], list(range(2, 12))], True),
        ((np.array([2, 4, 6]), np.arange(2, 12)), True), (([2, 4, 6],), False),
        (([1, 3, 5], list(range(1, 11))), False), (([], list(range(2, 11))), False),
        (([6, 4, 2], list(range(2, 12))), False), ((None, None), False), (None, False),
        (("2 4 6", "2-11"), False), (([True, 4, 6], list(range(2, 12))), False),
        (([2.5, 4, 6], list(range(2, 12))), False), (([2, 4, 6], [2, 3, float("nan")]), False),
        (({2, 4, 6}, list(range(2, 12))), False), (lambda: ([2, 4, 6], []), False),
        ((np.array([[2, 4, 6]]), list(range(2, 12))), False),
    ],
}  # fmt: skip
PAIR_RUNS = [(name, i) for name, table in PAIR_TABLES.items() for i in range(len(table))]


@pytest.mark.parametrize(("name", "i"), PAIR_RUNS, ids=[f"{n}-{i}" for n, i in PAIR_RUNS])
def test_the_pair_answer_checkers(name, i, capsys):
    answer, accepted = PAIR_TABLES[name][i]
    result, out = _run(CHECKERS[name], answer, capsys)
    assert result is accepted, out


def test_every_checker_is_in_a_table():
    """Checkers of a function or a number join the tables above by themselves; one whose
    answer is something else (a name, a pair) needs a table of its own, like the ones above."""
    assert {*FUNCTION_CHECKS, *VALUE_CHECKS, *NAME_TABLES, *PAIR_TABLES} == set(CHECKERS)
