"""A tiny registry of the recurrent models, so that code can switch models by name.

    from course_lib import models
    rnn = models.get("rnn")            # the module course_lib.rnn
    models.get(course_lib.lstm)        # a module passes through, after an interface check

Every model module has the same module-level functions (see the brief's "recurrent-model
interface"): ``init_params``, ``forward``, ``loss_and_grads``, ``cell_step``, ``sample``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

#: Model name -> module path. Modules are imported on first use.
MODELS = {"rnn": "course_lib.rnn", "lstm": "course_lib.lstm", "gru": "course_lib.gru"}
INTERFACE = ("init_params", "forward", "loss_and_grads", "cell_step", "sample")


def get(model: str | ModuleType) -> ModuleType:
    """The model module for a name in :data:`MODELS` (case-insensitive) or a module."""
    if isinstance(model, ModuleType):
        module = model
    elif isinstance(model, str):
        key = model.lower()
        if key not in MODELS:
            raise ValueError(f"model must be one of {sorted(MODELS)} or a module, got {model!r}")
        try:
            module = importlib.import_module(MODELS[key])
        except ModuleNotFoundError as exc:
            if exc.name != MODELS[key]:
                raise
            raise ValueError(
                f"model {model!r} is not available in this version of course_lib"
            ) from None
    else:
        raise TypeError(f"model must be a name or a module, got {type(model).__name__}")
    missing = [f for f in INTERFACE if not callable(getattr(module, f, None))]
    if missing:
        raise TypeError(f"{module.__name__} is not a recurrent model: it lacks {missing}")
    return module


def available() -> list[str]:
    """Names of the models this installation has."""
    out = []
    for name in MODELS:
        try:
            get(name)
        except ValueError:
            continue
        out.append(name)
    return out


def name(module: ModuleType) -> str:
    """Display name of a model module: "RNN", "LSTM", "GRU" (the keys of plots.COLORS)."""
    return module.__name__.rsplit(".", 1)[-1].upper()
