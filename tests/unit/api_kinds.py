"""Kinds of argument for the robustness table (``api_table.py``): each holds a valid value
and makes the bad values a student might pass in its place.

A kind's ``valid()`` returns a fresh valid value (a new copy every call, so one call cannot
change what the next one sees); ``bad()`` lists ``(label, value)`` pairs, each of which the
function must refuse with a ValueError or TypeError whose message names the argument.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from types import ModuleType

import numpy as np


def call(mutates: tuple = (), kwargs: bool = True, slow: bool = False, **args) -> dict:
    """One table entry: the arguments by name (each a kind), and how the function treats them."""
    return {"args": args, "mutates": tuple(mutates), "kwargs": kwargs, "slow": slow}


class OrNone:
    """Mixin for a kind that also takes None: its bad values without None."""

    def bad(self):
        return [b for b in super().bad() if b[0] != "None"]


class Kind:
    """An argument with a valid value and no bad ones (free-form, or checked elsewhere)."""

    def __init__(self, value: object):
        self.value = value

    def valid(self) -> object:
        value = self.value() if isinstance(self.value, Lazy) else self.value
        return value if isinstance(value, ModuleType) else copy.deepcopy(value)

    def bad(self) -> list[tuple[str, object]]:
        return []


class Lazy:
    """A valid value built on first use (a model's parameters, a data set)."""

    def __init__(self, make: Callable[[], object]):
        self.make, self._value, self._made = make, None, False

    def __call__(self) -> object:
        if not self._made:
            self._value, self._made = self.make(), True
        return self._value


class Real(Kind):
    """A finite real number, optionally held to a range (bounds given are out of range when
    open)."""

    def __init__(self, value, lo=None, hi=None, lo_open=False, hi_open=False):
        super().__init__(value)
        self.lo, self.hi, self.lo_open, self.hi_open = lo, hi, lo_open, hi_open

    def bad(self):
        out = [("None", None), ("str", "1.0"), ("bool", True), ("list", [self.value]),
               ("NaN", float("nan")), ("inf", float("inf")), ("-inf", -float("inf")),
               ("array of 2", np.array([1.0, 2.0]))]  # fmt: skip
        if self.lo is not None:
            out.append(("below range", self.lo - 1.0))
            if self.lo_open:
                out.append(("at open lower bound", self.lo))
        if self.hi is not None:
            out.append(("above range", self.hi + 1.0))
            if self.hi_open:
                out.append(("at open upper bound", self.hi))
        return out


class Int(Kind):
    """An int (not bool, not float), optionally held to a range."""

    def __init__(self, value, lo=None, hi=None):
        super().__init__(value)
        self.lo, self.hi = lo, hi

    def bad(self):
        out = [("None", None), ("str", "3"), ("bool", True), ("float", 2.5)]
        out.append(("NaN", float("nan")))
        if self.lo is not None:
            out.append(("below range", self.lo - 1))
        if self.hi is not None:
            out.append(("above range", self.hi + 1))
        return out


class OptInt(OrNone, Int):
    """An int or None."""


class Array(Kind):
    """A finite real array (a list of numbers is fine), optionally of fixed ndim."""

    def __init__(self, value, ndim=None):
        super().__init__(value)
        self.ndim = ndim

    def bad(self):
        v = np.asarray(self.valid(), dtype=float)
        nan, inf = v.copy(), v.copy()
        nan.flat[0], inf.flat[0] = np.nan, np.inf
        out = [("None", None), ("str", "abc"), ("ragged list", [[1.0], [1.0, 2.0]]),
               ("bool array", v > 0), ("NaN inside", nan), ("inf inside", inf),
               ("complex", v.astype(complex)), ("object array", v.astype(object))]  # fmt: skip
        if self.ndim is not None:
            out.append(("one axis more", v[None]))
            if v.ndim:
                out.append(("one axis less", v.reshape(-1)[0] if v.ndim == 1 else v[0]))
        return out


class Params(Kind):
    """A dict of float arrays (the course's parameters)."""

    def bad(self):
        v = self.valid()
        first = next(iter(v))
        nan, inf, ints, listed, missing = (dict(v) for _ in range(5))
        nan[first] = v[first].copy()
        nan[first].flat[0] = np.nan
        inf[first] = v[first].copy()
        inf[first].flat[0] = np.inf
        ints[first] = v[first].astype(int)
        listed[first] = v[first].tolist()
        del missing[first]
        return [("None", None), ("list", [1.0]), ("empty dict", {}), ("NaN entry", nan),
                ("inf entry", inf), ("int dtype", ints), ("list entry", listed),
                ("missing key", missing), ("extra key", {**v, "zz": np.zeros(2)})]  # fmt: skip


class Func(Kind):
    """A function."""

    def bad(self):
        return [("None", None), ("number", 3), ("str", "f")]


class Rng(Kind):
    """A NumPy Generator, an int seed >= 0 or None."""

    def bad(self):
        return [("str", "x"), ("float", 1.5), ("negative", -1), ("bool", True)]


class Choice(Kind):
    """One of a few names."""

    def bad(self):
        return [("unknown name", "no such thing"), ("number", 3), ("None", None)]


class Typed(Kind):
    """An object of one class (a SequenceData, an optimizer, a Vocab ...)."""

    def bad(self):
        return [("None", None), ("number", 3), ("str", "x")]


class Flag(Kind):
    """True or False."""

    def bad(self):
        return [("str", "yes"), ("float", 1.5)]


class Text(Kind):
    """A str."""

    def bad(self):
        return [("None", None), ("number", 3), ("list", ["a"])]


class Dict(Params):
    """A dict of arrays whose keys are the caller's choice (a start point, gradients)."""

    def bad(self):
        return [b for b in super().bad() if b[0] not in ("missing key", "extra key")]


class NeuronParams(Params):
    """The sigmoid neuron's {"w", "b"}: real numbers or 0-d arrays, ints allowed."""

    def bad(self):
        return [b for b in super().bad() if b[0] not in ("int dtype", "list entry")]


class OptReal(OrNone, Real):
    """A real number or None."""


class PathArg(Kind):
    """A file path (str or pathlib.Path)."""

    def bad(self):
        return [("None", None), ("number", 3), ("list", ["a.npz"])]


# --- kinds of the plots package: matplotlib objects and what is drawn ------------------------
class Fresh(Typed):
    """An object the call draws on or changes (a matplotlib Axes, Figure or artist), made by
    ``make()`` for every call instead of copied (``Fresh(Lazy(make))`` shares one made once)."""

    def valid(self):
        return self.value()


class Color(Kind):
    """A matplotlib colour ("#0072B2", "C1", "0.5", an RGB tuple)."""

    def bad(self):
        return [("None", None), ("number", 3), ("unknown name", "no such colour")]


class OptText(OrNone, Text):
    """A str or None (a label, a title)."""


class Labels(Kind):
    """A list of str (tick labels, words, names)."""

    def bad(self):
        return [("None", None), ("one str", "abc"), ("number", 3), ("list of numbers", [1, 2])]


class OptLabels(OrNone, Labels):
    """A list of str or None."""


class OptArray(OrNone, Array):
    """An array as :class:`Array`, or None."""


class Series(Kind):
    """A dict name -> real array (curves, paths per method), optionally of fixed ndim."""

    def __init__(self, value, ndim=None, optional=False):
        super().__init__(value)
        self.ndim, self.optional = ndim, optional

    def bad(self):
        v = self.valid()
        first = next(iter(v))
        arr = np.asarray(v[first], dtype=float)
        nan, inf = arr.copy(), arr.copy()
        nan.flat[0], inf.flat[0] = np.nan, np.inf
        out = [("list", [1.0]), ("empty dict", {}), ("NaN entry", {**v, first: nan}),
               ("inf entry", {**v, first: inf}), ("str entry", {**v, first: "abc"}),
               ("complex entry", {**v, first: arr.astype(complex)})]  # fmt: skip
        if not self.optional:
            out.append(("None", None))
        if self.ndim is not None:
            out.append(("entry with one axis more", {**v, first: arr[None]}))
        return out


class Pair(Kind):
    """Two finite real numbers (a figure size, axis limits), or None when ``optional``."""

    def __init__(self, value, optional=False, positive=False):
        super().__init__(value)
        self.optional, self.positive = optional, positive

    def bad(self):
        out = [("number", 3.0), ("str", "x"), ("one number", (1.0,)), ("NaN inside", (np.nan, 1.0)),
               ("three numbers", (1.0, 2.0, 3.0))]  # fmt: skip
        if not self.optional:
            out.append(("None", None))
        if self.positive:
            out.append(("zero inside", (0.0, 2.0)))
        return out


class Mask(Kind):
    """A list or array of True/False, one per step."""

    def bad(self):
        n = len(self.valid())
        return [("None", None), ("str", "yes"), ("number", 3), ("floats", np.full(n, 0.5))]


class Custom(Kind):
    """A value of the caller's own layout (a nested dict); its bad values are listed with it."""

    def __init__(self, value, bad: list[tuple[str, object]]):
        super().__init__(value)
        self._bad = bad

    def bad(self):
        return list(self._bad)


# -- the tools' kinds (course_lib.tools: notebooks, command lines, lists of paths) -------------
class OptPathArg(OrNone, PathArg):
    """A file path or None (a default: the current directory, the course's folder ...)."""


class PathList(Kind):
    """A list of file paths (a single path is not one: its characters are not paths)."""

    def bad(self):
        return [("None", None), ("number", 3), ("str", "a.ipynb"), ("list of numbers", [3])]


class TextList(Kind):
    """A list of str."""

    def bad(self):
        return [("None", None), ("str", "abc"), ("list of numbers", [3])]


class Argv(Kind):
    """A command line as a list of str (None: the program's own). Its contents (an unknown
    option, a missing argument) are argparse's to refuse, with its usage and exit status 2
    (tests/unit/test_tools_cli.py); the Python value is the function's."""

    def bad(self):
        return [("str", "sync"), ("number", 3), ("list of numbers", [3])]


class Notebook(Kind):
    """An nbformat v4 notebook (a NotebookNode or the dict ``json.load`` gives)."""

    def bad(self):
        return [("None", None), ("number", 3), ("str", "x.ipynb"), ("list", []),
                ("dict without cells", {"metadata": {}}),
                ("cells not a list", {"cells": "abc", "metadata": {}}),
                ("a cell not a dict", {"cells": [3], "metadata": {}})]  # fmt: skip


class OptNotebook(OrNone, Notebook):
    """A notebook or None."""


class Diff(Kind):
    """An nbdime diff: a list of operations, each a dict with "op" and "key"."""

    def bad(self):
        return [("None", None), ("number", 3), ("str", "x"), ("list of numbers", [3])]
