"""The forms an answer may take, and the words for one that has another form.

The rules (one for every checker, so a student learns them once):

- a **number** is a Python ``int``/``float``, a NumPy scalar or a 0-d array; never a string
  (``"0.2"``), a truth value (``True``), a complex number, NaN or infinity;
- an **array** is an ``ndarray`` of real numbers or a (nested) list of numbers of the same
  shape: ``[0.5, 0.25]`` is as good as ``np.array([0.5, 0.25])``;
- **several results** (``return w, b``) are a tuple or a list of that many values; when
  every one of them is a single number, a 1-D array of them is accepted too;
- a **dict** of arrays has exactly the expected keys;
- a **whole number** (a count, an index) is an ``int``, a NumPy integer, or a float with no
  fractional part (``10.0``); never ``True``.

:func:`conform` turns an answer into the checker's own form (floats and float arrays) or
raises :class:`Mismatch` with a sentence that says what is wrong.
"""

from __future__ import annotations

import numbers
import reprlib
from collections.abc import Mapping

import numpy as np

_repr = reprlib.Repr()
_repr.maxstring = _repr.maxother = 40


class Mismatch(Exception):
    """The answer does not have the expected form; the message says how."""


def describe(value: object) -> str:
    """A few words for what a value is: 'None', 'the text "0.2"', 'an array of shape (3,)'."""
    if value is None:
        return "None"
    if isinstance(value, str | bytes):
        return f"the text {_repr.repr(value)}"
    if isinstance(value, bool | np.bool_):
        return f"{bool(value)} (a truth value)"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} (dtype {value.dtype})"
    if isinstance(value, list | tuple):
        return f"a {type(value).__name__} of {len(value)} values"
    if isinstance(value, numbers.Number):
        return f"the {type(value).__name__} {_repr.repr(value)}"
    if callable(value):
        return "a function (did you mean to call it, or to return its result?)"
    return f"a {type(value).__name__}"


def show(value: object) -> str:
    """A short display of a conformed value (float, float array, tuple or dict of them)."""
    if isinstance(value, tuple):
        return "(" + ", ".join(show(v) for v in value) + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, np.ndarray) and value.ndim:
        return np.array2string(value, precision=6, threshold=24)
    return f"{float(value):.6g}"


def _kind_problem(dtype: np.dtype) -> str | None:
    return {
        "b": "truth values (True/False)",
        "c": "complex numbers",
        "U": "text",
        "S": "text",
        "O": "Python objects (a ragged or mixed list?)",
    }.get(dtype.kind, None if dtype.kind in "iuf" else f"values of dtype {dtype}")


def number(got: object, what: str) -> float:
    """A real number as a float, or :class:`Mismatch` (NaN and infinity included)."""
    if isinstance(got, np.ndarray) and got.ndim == 0:
        got = got[()]  # a NumPy scalar, checked below
    if isinstance(got, bool | np.bool_) or not isinstance(got, numbers.Real):
        hint = ": return the number itself, not its text" if isinstance(got, str) else ""
        raise Mismatch(f"{what}: expected a number, got {describe(got)}{hint}")
    value = float(got)
    if not np.isfinite(value):
        raise Mismatch(f"{what}: got {value}; look for a division by zero or an overflow")
    return value


def array(got: object, shape: tuple, what: str) -> np.ndarray:
    """A float array of ``shape`` (from an array or a nested list), or :class:`Mismatch`."""
    if isinstance(got, np.ndarray | list | tuple) and not isinstance(got, str):
        try:
            arr = np.asarray(got)
        except (ValueError, TypeError):
            raise Mismatch(
                f"{what}: expected an array of shape {shape}, got a ragged list"
            ) from None
        problem = _kind_problem(arr.dtype)
        if problem:
            raise Mismatch(f"{what}: expected an array of numbers, got an array of {problem}")
    elif isinstance(got, numbers.Real) and not isinstance(got, bool | np.bool_):
        arr = np.asarray(float(got))
    else:
        raise Mismatch(f"{what}: expected an array of shape {shape}, got {describe(got)}")
    if arr.shape != shape:
        single = " (a single number)" if arr.ndim == 0 else ""
        raise Mismatch(f"{what}: expected shape {shape}, got shape {arr.shape}{single}")
    arr = arr.astype(float)
    if not np.all(np.isfinite(arr)):
        raise Mismatch(f"{what}: it contains NaN or infinity; look for a division by zero")
    return arr


def _n_values(n: int) -> str:
    return "a pair (2 values)" if n == 2 else f"a tuple of {n} values"


def conform(got: object, expected: object, what: str):
    """``got`` in the form of ``expected`` (tuple, dict, number or array), or Mismatch."""
    if isinstance(expected, Mapping):
        if not isinstance(got, Mapping):
            raise Mismatch(f"{what}: expected a dict, got {describe(got)}")
        if set(got) != set(expected):
            raise Mismatch(f"{what}: expected the keys {sorted(expected)}, got {sorted(got)}")
        return {k: conform(got[k], v, f"{what}[{k!r}]") for k, v in expected.items()}
    if isinstance(expected, tuple):
        n = len(expected)
        numbers_only = all(np.ndim(e) == 0 for e in expected)
        if numbers_only and isinstance(got, np.ndarray) and got.ndim == 1:
            got = list(got)
        if not isinstance(got, tuple | list):
            raise Mismatch(f"{what}: expected {_n_values(n)}, got {describe(got)}")
        if len(got) != n:
            raise Mismatch(f"{what}: expected {_n_values(n)}, got {len(got)} values")
        return tuple(
            conform(g, e, f"{what}, value {i + 1} of {n}")
            for i, (g, e) in enumerate(zip(got, expected, strict=True))
        )
    shape = np.shape(expected)
    return number(got, what) if shape == () else array(got, shape, what)


def whole(got: object, what: str) -> int:
    """A whole number as an int, or :class:`Mismatch`."""
    value = number(got, what)
    if not value.is_integer():
        raise Mismatch(f"{what}: got {value:g}; expected a whole number")
    return int(value)


def leaves(value) -> list:
    """The numbers and arrays inside a conformed value, in order."""
    if isinstance(value, tuple | list):
        return [leaf for v in value for leaf in leaves(v)]
    if isinstance(value, Mapping):
        return [leaf for k in sorted(value) for leaf in leaves(value[k])]
    return [value]


def allclose(got, expected, rtol: float, atol: float) -> bool:
    """Every number of two conformed values of the same form within tolerance."""
    with np.errstate(all="ignore"):
        return all(
            np.shape(g) == np.shape(e) and np.allclose(g, e, rtol=rtol, atol=atol)
            for g, e in zip(leaves(got), leaves(expected), strict=True)
        )


def same(got: object, expected: object, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """True when ``got`` has the form of ``expected`` and its numbers are close; never raises."""
    try:
        with np.errstate(all="ignore"):
            return allclose(conform(got, expected, ""), conform(expected, expected, ""), rtol, atol)
    except Exception:  # any form ``got`` may have: it is then simply not the same
        return False
