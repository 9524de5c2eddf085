"""Every explorer's constructor refuses bad arguments with an error naming the argument.

The bad values are made from each argument's type hint (the hints are what
``widgets._arguments`` checks): None where None is not allowed, text for a number, NaN, a
bool for a number, a number for text, a choice no drop-down offers. Before the check,
sliders and drop-downs answered with trait errors that named no argument, or accepted
None/NaN/True and failed later inside a callback (172 tries, 119 wrong).
"""

from __future__ import annotations

import inspect

import matplotlib.pyplot as plt
import pytest

import course_lib.widgets as W

EXPLORERS = {
    name: cls
    for name, cls in vars(W).items()
    if inspect.isclass(cls) and issubclass(cls, W.Explorer) and cls is not W.Explorer
}
#: Arguments that fill a text box (AutocompleteExplorer's text, RecallExplorer's key, the
#: task explorer's text): the explorer explains text it cannot use instead of refusing it.
FREE_TEXT = {"text", "key"}
BAD = {
    "float": [None, "1.0", float("nan"), float("inf"), True],
    "int": [None, "3", 2.5, True],
    "str": [None, 3, "no such choice"],
    "bool": [None, "yes"],
    "Sequence[str]": [None, "GD", [3]],
}


def _cases():
    for name, cls in sorted(EXPLORERS.items()):
        for arg in inspect.signature(cls).parameters.values():
            hint = arg.annotation if isinstance(arg.annotation, str) else ""
            kinds = [k.strip() for k in hint.split("|")]
            for kind in kinds:
                for value in BAD.get(kind, []):
                    if value is None and "None" in kinds:
                        continue
                    if kind == "str" and value == "no such choice" and arg.name in FREE_TEXT:
                        continue  # a text box: any str is typed text, explained in the readout
                    yield pytest.param(cls, arg.name, value, id=f"{name}-{arg.name}={value!r}")


CASES = list(_cases())


def test_every_explorer_has_hinted_arguments_to_check():
    assert len(EXPLORERS) >= 10 and len(CASES) >= 150


@pytest.mark.parametrize(("cls", "arg", "value"), CASES)
def test_a_bad_argument_is_refused_naming_it(cls, arg, value):
    try:
        with pytest.raises((ValueError, TypeError)) as info:
            cls(**{arg: value})
    finally:
        plt.close("all")
    assert arg in str(info.value), str(info.value)
