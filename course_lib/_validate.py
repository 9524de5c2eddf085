"""Argument checks shared by the public functions.

Every check raises ``TypeError`` (wrong kind of value) or ``ValueError`` (right kind,
wrong value) with a message that names the argument, says what was expected and shows
what was given, so a student's mistake is explained where it happens rather than as a
NumPy broadcasting error three calls deeper.
"""

from __future__ import annotations

import functools
import numbers
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def real(name: str, value: object) -> float:
    """Return ``value`` as a finite float, or raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real | np.ndarray):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {_show(value)}")
    if isinstance(value, np.ndarray):
        if value.ndim != 0:
            raise TypeError(f"{name} must be a scalar, got an array of shape {value.shape}")
        value = value.item()
    out = float(value)
    if not np.isfinite(out):
        raise ValueError(f"{name} must be finite, got {out}")
    return out


def positive(name: str, value: object) -> float:
    """A finite real number > 0."""
    out = real(name, value)
    if out <= 0:
        raise ValueError(f"{name} must be > 0, got {out}")
    return out


def in_range(
    name: str, value: object, lo: float, hi: float, *, lo_open=False, hi_open=True
) -> float:
    """A finite real number in [lo, hi) by default; the brackets follow lo_open/hi_open."""
    out = real(name, value)
    below = out <= lo if lo_open else out < lo
    above = out >= hi if hi_open else out > hi
    if below or above:
        left, right = "(" if lo_open else "[", ")" if hi_open else "]"
        raise ValueError(f"{name} must be in {left}{lo}, {hi}{right}, got {out}")
    return out


def integer(name: str, value: object, minimum: int | None = None) -> int:
    """An int (not bool, not float) >= minimum."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {_show(value)}")
    out = int(value)
    if minimum is not None and out < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {out}")
    return out


def float_array(name: str, value: object, ndim: int | None = None) -> np.ndarray:
    """A finite float64 array (copied from lists, ints are promoted), optionally of given ndim."""
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{name} must be array-like of numbers: {exc}") from None
    if arr.dtype == bool or not (
        np.issubdtype(arr.dtype, np.floating) or np.issubdtype(arr.dtype, np.integer)
    ):
        raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    arr = arr.astype(np.float64)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values, got {_show(arr)}")
    return arr


def params_dict(name: str, value: object) -> dict[str, np.ndarray]:
    """A non-empty dict of str -> finite float ndarray (the course's parameter convention);
    the arrays are not copied."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a dict of arrays, got {type(value).__name__}")
    if not value:
        raise ValueError(f"{name} must not be empty")
    for key, arr in value.items():
        if not isinstance(arr, np.ndarray):
            raise TypeError(f"{name}[{key!r}] must be a numpy array, got {type(arr).__name__}")
        if not np.issubdtype(arr.dtype, np.floating):
            raise TypeError(f"{name}[{key!r}] must be a float array, got dtype {arr.dtype}")
        if not np.isfinite(arr).all():
            raise ValueError(
                f"{name}[{key!r}] holds NaN or infinite values (a diverged run?); parameters "
                f"must be finite, got {_show(arr)}"
            )
    return dict(value)


def same_keys_and_shapes(name: str, grads: Mapping, params: Mapping) -> None:
    """``grads`` must have exactly the keys of ``params`` and matching shapes."""
    if not isinstance(grads, Mapping):
        raise TypeError(f"{name} must be a dict of arrays, got {type(grads).__name__}")
    if set(grads) != set(params):
        raise ValueError(f"{name} must have keys {sorted(params)}, got {sorted(grads)}")
    for key in params:
        if np.shape(grads[key]) != np.shape(params[key]):
            raise ValueError(
                f"{name}[{key!r}] must have shape {np.shape(params[key])}, "
                f"got {np.shape(grads[key])}"
            )


def generator(name: str, rng: object) -> np.random.Generator:
    """A NumPy Generator from a Generator (used as is), an int seed >= 0, or None (seed 0)."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        return np.random.default_rng(0)
    if isinstance(rng, bool) or not isinstance(rng, numbers.Integral):
        raise TypeError(
            f"{name} must be a numpy Generator, an int seed or None, "
            f"got {type(rng).__name__} {_show(rng)}"
        )
    return np.random.default_rng(integer(name, rng, minimum=0))


def checked_by(check_arguments: Callable[..., tuple]) -> Callable:
    """Decorator: the function's arguments go through ``check_arguments`` first.

    ``check_arguments`` takes the function's own arguments (same names, same defaults) and
    returns them checked, as a tuple of positional arguments; it raises naming the one at
    fault. The plain function stays reachable as ``f.unchecked``, for inner loops that call
    it on arrays the course made itself (a check costs more than a small batch's maths), and
    ``inspect.getsource(f)`` still shows the function's own body (``show_source``).
    """

    def decorate(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def checked(*args, **kwargs):
            return fn(*check_arguments(*args, **kwargs))

        checked.unchecked = fn
        return checked

    return decorate


def flag(name: str, value: object) -> bool:
    """True or False (NumPy's bool too), nothing else: a str such as "no" would be truthy."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {_show(value)}")
    return bool(value)


def text(name: str, value: object) -> str:
    """A str (a label, a file name, a title)."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__} {_show(value)}")
    return value


def optional_text(name: str, value: object) -> str | None:
    """A str or None."""
    return None if value is None else text(name, value)


def texts(name: str, value: object, size: int | None = None) -> list[str]:
    """A list (any sequence or array) of str, of ``size`` items when given; one str is
    refused, since it would be read letter by letter."""
    if isinstance(value, str) or not isinstance(value, Sequence | np.ndarray):
        raise TypeError(f"{name} must be a list of str, got {type(value).__name__} {_show(value)}")
    out = [text(f"{name}[{i}]", v) for i, v in enumerate(value)]
    if size is not None and len(out) != size:
        raise ValueError(f"{name} must have {size} entries, got {len(out)}")
    return out


def path(name: str, value: object) -> Path:
    """A file path given as a str or a path object (pathlib.Path, os.PathLike)."""
    if not isinstance(value, str | os.PathLike):
        raise TypeError(f"{name} must be a file path (str or pathlib.Path), got "
                        f"{type(value).__name__} {_show(value)}")  # fmt: skip
    return Path(value)
