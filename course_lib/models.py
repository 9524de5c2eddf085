"""A tiny registry of the recurrent models, so that code can switch models by name.

    from course_lib import models
    rnn = models.get("rnn")            # the module course_lib.rnn
    models.get(course_lib.lstm)        # a module passes through, after an interface check

Every model module has the same module-level functions (DESIGN.md, "Recurrent models"):

- ``init_params(n_in, d, n_out, rng=None, **options) -> dict``: U (d, n_in), W (d, d),
  b (d,), V (K, d), c (K,) and the gates likewise; ``rng`` a Generator, int seed or None.
- ``check_params(params) -> (n_in, d, K)``: the sizes of valid parameters, or a clear error.
- ``step_forward(params, x, *state) -> (*new_state, cache)`` and
  ``step_backward(*d_new_state, cache) -> (dx, *d_state, grads)``: one step of one
  sequence in the notes' column vectors (the readable reference of the fused code).
- ``forward(params, X, s0=None, mask=None) -> (probs (B, T, K), cache)``; the cache holds
  ``final_state``, the state to continue from.
- ``loss_and_grads(params, X, targets, s0=None, truncate=None, mask=None,
  many_to_one=False) -> (loss, grads)``: loss = mean over sequences of the masked sum of
  per-step cross-entropies; ``truncate=k``: each ℓ_t back-propagates through at most k steps.
- ``loss_grads_and_state(...)`` (same arguments) ``-> (loss, grads, final_state)``, for
  training on chunks of long sequences with the state carried between them.
- ``state_grads(params, X, targets, s0=None, mask=None, many_to_one=False)
  -> {"s": (B, T + 1, d), ...}``: ∂𝓛/∂s_k for every state (``gradflow`` uses it).
- ``cell_step(params, x_t, state) -> (probs_t (B, K), new_state)``.
- ``sample(params, prefix, length, rng=None, temperature=1.0, greedy=False, stop=None)
  -> list[int]``: the NEW token ids only (the prefix is not repeated).

What the three share (argument checks with the course's messages, initial states, the
softmax output layer and its cross-entropy, the sampling loop) lives in
:mod:`course_lib._recurrent`, which imports no model; the fused kernels' speed helpers live
in :mod:`course_lib._kernels`. tests/unit/test_model_contract.py checks every model listed in
:data:`MODELS` that exists.
"""

from __future__ import annotations

import importlib
from types import ModuleType

#: Model name -> module path. Modules are imported on first use.
MODELS = {"rnn": "course_lib.rnn", "lstm": "course_lib.lstm", "gru": "course_lib.gru"}
INTERFACE = (
    "init_params",
    "check_params",
    "step_forward",
    "step_backward",
    "forward",
    "loss_and_grads",
    "loss_grads_and_state",
    "state_grads",
    "cell_step",
    "sample",
)


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
    if not isinstance(module, ModuleType):
        raise TypeError(
            f"module must be a model's module (models.get(...)), got {type(module).__name__}"
        )
    return module.__name__.rsplit(".", 1)[-1].upper()
