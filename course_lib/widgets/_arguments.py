"""The explorers' constructor arguments, checked from their type hints.

An explorer hands its arguments to sliders and drop-downs, whose own errors name a trait
("The 'value' trait of an IntSlider ...") or a label ("slider 'η'"), not the argument, and
some bad values (None, NaN, True for a number) pass them silently and fail later inside a
callback. So every explorer's ``__init__`` is wrapped (``Explorer.__init_subclass__``): each
argument hinted ``float``, ``int``, ``str`` or ``bool`` (optionally ``| None``) is checked
with the shared argument checks before the explorer is built, and a value a drop-down does
not offer is a ValueError naming the argument and the choices.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping

import traitlets

from .. import _validate as check


def _mapping(name: str, value: object) -> None:
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a dict, got {type(value).__name__} {value!r:.40}")


_CHECKS: dict[str, Callable[[str, object], object]] = {
    "Sequence[str]": check.texts,
    "float": check.real,
    "int": check.integer,
    "str": check.text,
    "bool": check.flag,
    "Mapping": _mapping,
}


def _check(name: str, hint: str, value: object) -> None:
    kinds = [part.strip() for part in hint.split("|")]
    if value is None and "None" in kinds:
        return
    for kind in kinds:
        kind = "Mapping" if kind.startswith("Mapping[") else kind
        if kind in _CHECKS:
            _CHECKS[kind](name, value)
            return


def checked_init(init: Callable) -> Callable:
    """``init`` with its hinted arguments checked first (see the module docstring)."""
    signature = inspect.signature(init)

    @functools.wraps(init)
    def checked(self, *args, **kwargs):
        bound = signature.bind(self, *args, **kwargs)
        for name, value in list(bound.arguments.items())[1:]:
            hint = signature.parameters[name].annotation
            if isinstance(hint, str):
                _check(name, hint, value)
        try:
            init(self, *args, **kwargs)
        except traitlets.TraitError as exc:  # a choice the drop-down does not offer
            given = {k: v for k, v in list(bound.arguments.items())[1:] if isinstance(v, str)}
            raise ValueError(
                f"{type(self).__name__}: an argument is not one of the choices "
                f"(string arguments given: {given}): {exc}"
            ) from None

    return checked
