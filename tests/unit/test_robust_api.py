"""Every public function of course_lib against the bad inputs a student passes.

For each entry of ``api_table.ENTRIES``: the valid call works; each argument replaced by
each bad value of its kind (``api_kinds``: None, text, a bool for a number, a list for an
array, NaN, inf, a wrong shape, a wrong dtype, out of range ...) raises ValueError or
TypeError whose message names the argument; an unknown keyword is an error naming it; a
valid call leaves the caller's arrays as they were. Hypothesis adds out-of-range numbers
and arrays of a wrong shape. A public function with no entry (and not excluded with a
reason) fails :func:`test_every_public_function_has_an_entry`, listing it.
"""

from __future__ import annotations

import copy
import importlib
import inspect
import multiprocessing.process
import pkgutil
import subprocess
import sys
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))  # api_table and api_kinds live beside this file

import api_kinds  # noqa: E402
from api_table import ENTRIES, EXCLUDED, EXCLUDED_MODULES, NOT_YET  # noqa: E402

import course_lib  # noqa: E402

NAMES = sorted(ENTRIES)


@pytest.fixture(autouse=True)
def _matplotlib_settings_restored():
    """``plots.use_style`` (a valid call) sets matplotlib's global rcParams: later tests on
    the same worker must still see the settings they started with."""
    with mpl.rc_context():
        yield


class _ProcessStarted(RuntimeError):
    pass


@pytest.fixture(autouse=True)
def _no_process_starts(monkeypatch):
    """A bad input must be refused before a kernel, Voilà or a process pool starts (the
    slow entries): a start is reported as a finding here instead of running, or hanging."""

    def refuse(*args, **kwargs):
        raise _ProcessStarted("the call started a process (a kernel, a server, a pool)")

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)
    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refuse)


def _public() -> set[str]:
    """ "module.name" of every public function and class defined in course_lib."""
    found = set()
    for info in pkgutil.walk_packages(course_lib.__path__, "course_lib."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        if any(info.name.startswith(prefix) for prefix in EXCLUDED_MODULES):
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != info.name:
                continue
            if inspect.isfunction(obj) or inspect.isclass(obj):
                found.add(f"{info.name.removeprefix('course_lib.')}.{name}")
    return found


def _function(name: str):
    module, attr = name.rsplit(".", 1)
    return getattr(importlib.import_module(f"course_lib.{module}"), attr)


def _valid(name: str) -> dict:
    return {arg: kind.valid() for arg, kind in ENTRIES[name]["args"].items()}


def _refused(fn, kwargs: dict, arg: str) -> str | None:
    """None if ``fn(**kwargs)`` raises ValueError/TypeError naming ``arg``; else what it did."""
    try:
        with np.errstate(all="ignore"):
            result = fn(**kwargs)
        if inspect.isgenerator(result):
            list(result)
    except (ValueError, TypeError) as exc:
        return None if arg in str(exc) else f"{type(exc).__name__} not naming it: {exc}"
    except Exception as exc:  # noqa: BLE001 - any other exception is the finding
        return f"{type(exc).__name__}: {exc}"
    return "accepted"


def test_every_public_function_has_an_entry():
    missing = sorted(_public() - set(ENTRIES) - set(EXCLUDED) - set(NOT_YET))
    assert not missing, f"{len(missing)} public functions have no entry in api_table: {missing}"
    stale = sorted((set(ENTRIES) | set(EXCLUDED) | set(NOT_YET)) - _public())
    assert not stale, f"api_table names functions that do not exist (renamed?): {stale}"
    assert not set(NOT_YET) & set(ENTRIES), "an entry was written: remove it from NOT_YET"


@pytest.mark.parametrize("name", [n for n in NAMES if not ENTRIES[n]["slow"]])
def test_valid_call_works_and_changes_no_argument(name):
    kwargs = _valid(name)
    # only what _same compares is copied (an Axes or an animation need not be copyable)
    before = {k: copy.deepcopy(v) if _compared(v) else v for k, v in kwargs.items()}
    with np.errstate(all="ignore"):
        result = _function(name)(**kwargs)
    if inspect.isgenerator(result):
        list(result)
    for arg in set(kwargs) - set(ENTRIES[name]["mutates"]):
        assert _same(kwargs[arg], before[arg]), f"{name} changed its argument {arg}"


def _compared(value) -> bool:
    if isinstance(value, np.ndarray):
        return value.dtype != object  # an array of Axes (plt.subplots) is not data
    return isinstance(value, dict | list | tuple)


def _same(a, b) -> bool:
    if not _compared(a):
        return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return True  # other objects (optimizers, data sets) are not the caller's arrays


def bad_inputs(name: str) -> list[tuple[str, str, object]]:
    """(argument, label, bad value) for every argument of an entry."""
    return [
        (arg, label, value)
        for arg, kind in ENTRIES[name]["args"].items()
        for label, value in kind.bad()
    ]


@pytest.mark.parametrize("name", NAMES)
def test_bad_inputs_are_refused_naming_the_argument(name):
    fn = _function(name)
    problems = []
    for arg, label, value in bad_inputs(name):
        kwargs = {**_valid(name), arg: value}
        outcome = _refused(fn, kwargs, arg)
        if outcome is not None:
            problems.append(f"{arg} = {label}: {outcome}")
    assert not problems, f"{name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", [n for n in NAMES if ENTRIES[n]["kwargs"]])
def test_an_unknown_keyword_is_refused(name):
    outcome = _refused(_function(name), {**_valid(name), "not_an_argument": 1}, "not_an_argument")
    assert outcome is None, f"{name}: {outcome}"


# -- generated values: numbers out of range, arrays of a wrong shape --------------------------
RANGED = [
    (name, arg, kind)
    for name in NAMES
    for arg, kind in ENTRIES[name]["args"].items()
    if isinstance(kind, api_kinds.Real) and (kind.lo is not None or kind.hi is not None)
]
SHAPED = [
    (name, arg, kind)
    for name in NAMES
    for arg, kind in ENTRIES[name]["args"].items()
    if isinstance(kind, api_kinds.Array) and kind.ndim is not None
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_generated_numbers_out_of_range_are_refused(data):
    name, arg, kind = data.draw(st.sampled_from(RANGED))
    sides = []
    if kind.lo is not None:
        sides.append(st.floats(max_value=kind.lo, exclude_max=not kind.lo_open, min_value=-1e300))
    if kind.hi is not None:
        sides.append(st.floats(min_value=kind.hi, exclude_min=not kind.hi_open, max_value=1e300))
    value = data.draw(st.one_of(sides))
    outcome = _refused(_function(name), {**_valid(name), arg: value}, arg)
    assert outcome is None, f"{name}({arg}={value!r}): {outcome}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_generated_arrays_of_a_wrong_ndim_are_refused(data):
    name, arg, kind = data.draw(st.sampled_from(SHAPED))
    ndim = data.draw(st.integers(0, 4).filter(lambda k: k != kind.ndim))
    shape = data.draw(st.lists(st.integers(1, 3), min_size=ndim, max_size=ndim))
    value = np.ones(shape)
    outcome = _refused(_function(name), {**_valid(name), arg: value}, arg)
    assert outcome is None, f"{name}({arg} of shape {tuple(shape)}): {outcome}"
