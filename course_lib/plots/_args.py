"""Argument checks of the plotting functions, on top of :mod:`course_lib._validate`.

A plot function takes matplotlib objects (an Axes, the artists an earlier call returned)
and data (arrays, labels, colours); a wrong one is refused here with a TypeError or
ValueError naming the argument, rather than as an AttributeError from inside matplotlib.
The checks are cheap (a few isinstance tests and one array conversion), so the ``set_*``
functions that explorers call on every move can run them too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import is_color_like

from .. import _validate as check
from .._validate import _show

#: Line styles a curve may be drawn with (matplotlib's names and their short forms).
LINESTYLES = ("-", "--", "-.", ":", "solid", "dashed", "dashdot", "dotted")


def instance(name: str, value: object, cls: type | tuple, what: str) -> object:
    """``value`` if it is a ``cls``; else a TypeError saying ``what`` was expected."""
    if not isinstance(value, cls):
        raise TypeError(f"{name} must be {what}, got {type(value).__name__} {_show(value)}")
    return value


def axes(name: str, value: object, three_d: bool = False) -> Axes:
    """A matplotlib Axes (a 3-D one when ``three_d``)."""
    if three_d:
        if not isinstance(value, Axes) or getattr(value, "name", "") != "3d":
            raise TypeError(f"{name} must be a 3-D matplotlib Axes (subplot_kw={{'projection': "
                            f"'3d'}}), got {type(value).__name__} {_show(value)}")  # fmt: skip
        return value
    return instance(name, value, Axes, "a matplotlib Axes")


def axes_list(name: str, value: object, count: int | None = None) -> list[Axes]:
    """One Axes or an array/list of them (as ``plt.subplots`` returns), flattened; exactly
    ``count`` of them when given."""
    flat = [value] if isinstance(value, Axes) else None
    if flat is None and isinstance(value, np.ndarray | list | tuple):
        flat = list(np.ravel(np.asarray(value, dtype=object)))
    if not flat or not all(isinstance(ax, Axes) for ax in flat):
        raise TypeError(f"{name} must be matplotlib Axes (a list or array of them), got "
                        f"{type(value).__name__} {_show(value)}")  # fmt: skip
    if count is not None and len(flat) != count:
        raise ValueError(f"{name} must hold {count} Axes, got {len(flat)}")
    return flat


def color(name: str, value: object) -> object:
    """A matplotlib colour: a name, "#rrggbb", "C0", a grey level "0.5" or an RGB(A) tuple."""
    if isinstance(value, bool | int | float | np.number) or not is_color_like(value):
        raise ValueError(f"{name} must be a matplotlib colour such as '#0072B2' or 'C0', got "
                         f"{_show(value)}")  # fmt: skip
    return value


def linestyle(name: str, value: object) -> str:
    """One of :data:`LINESTYLES`."""
    if not isinstance(value, str) or value not in LINESTYLES:
        raise ValueError(f"{name} must be one of {LINESTYLES}, got {_show(value)}")
    return value


def colormap(name: str, value: object) -> str:
    """The name of a registered matplotlib colour map."""
    if not isinstance(value, str) or value not in mpl.colormaps:
        raise ValueError(f"{name} must be a matplotlib colour map name such as 'Blues', got "
                         f"{_show(value)}")  # fmt: skip
    return value


def series(name: str, value: object, ndim: int | None = None) -> dict[str, np.ndarray]:
    """A non-empty dict name -> finite real array (of ``ndim`` dimensions when given)."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a dict of name -> array, got {type(value).__name__} "
                        f"{_show(value)}")  # fmt: skip
    if not value:
        raise ValueError(f"{name} must not be empty")
    return {key: check.float_array(f"{name}[{key!r}]", v, ndim) for key, v in value.items()}


def points(name: str, value: object) -> np.ndarray:
    """Points in the (w, b) plane: a finite array (k, 2), k >= 1."""
    arr = check.float_array(name, value, ndim=2)
    if arr.shape[1] != 2 or not len(arr):
        raise ValueError(f"{name} must have shape (k, 2) with k >= 1, got {arr.shape}")
    return arr


def pair(name: str, value: object, positive: bool = False) -> tuple[float, float]:
    """Two finite real numbers (> 0 when ``positive``)."""
    if not isinstance(value, Sequence | np.ndarray) or isinstance(value, str) or len(value) != 2:
        raise TypeError(f"{name} must be a pair of numbers, got {type(value).__name__} "
                        f"{_show(value)}")  # fmt: skip
    num = check.positive if positive else check.real
    return num(f"{name}[0]", value[0]), num(f"{name}[1]", value[1])


def mask(name: str, value: object, size: int) -> np.ndarray:
    """``size`` True/False values."""
    if isinstance(value, str) or not isinstance(value, Sequence | np.ndarray):
        raise TypeError(f"{name} must be a list of True/False, got {type(value).__name__} "
                        f"{_show(value)}")  # fmt: skip
    arr = np.asarray(value)
    if arr.dtype != bool:
        raise TypeError(f"{name} must hold True/False, got dtype {arr.dtype}")
    if arr.shape != (size,):
        raise ValueError(f"{name} must have shape ({size},), got {arr.shape}")
    return arr
