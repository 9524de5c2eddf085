"""Saving and loading trained recurrent models as ``.npz`` files.

A checkpoint holds the parameter arrays under their own keys, plus one JSON string with
what is needed to use them again: the model's name ("rnn", "lstm", "gru"), its options
(e.g. ``{"reset_after": true}`` for a GRU), the vocabulary's symbols, and free-form
``info`` (how it was trained). Everything is stored as plain arrays and text, so loading
never unpickles anything (``allow_pickle=False``).

    checkpoint.save("my_lstm.npz", params, model="lstm", vocab=vocab.symbols)
    ckpt = checkpoint.load("my_lstm.npz")
    ckpt.params, ckpt.model, ckpt.vocab, ckpt.options, ckpt.info
"""

from __future__ import annotations

import importlib
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import numpy as np

from . import DATA_DIR
from . import _validate as check

FORMAT = "course_lib checkpoint"
VERSION = 1
_META = "__meta__"
#: The models a checkpoint may hold (module names in course_lib).
MODELS = ("rnn", "lstm", "gru")


@dataclass
class Checkpoint:
    """What :func:`load` returns."""

    params: dict[str, np.ndarray]
    model: str
    vocab: list[str] | None = None
    options: dict = field(default_factory=dict)
    info: dict = field(default_factory=dict)

    @property
    def module(self) -> ModuleType:
        """The model's module (``course_lib.lstm`` ...), to call forward/sample with."""
        return model_module(self.model)

    def __repr__(self) -> str:
        n, d, K = self.module.check_params(self.params)
        return (
            f"Checkpoint({self.model.upper()}, n={n}, d={d}, K={K}, "
            f"{sum(v.size for v in self.params.values())} parameters, options={self.options})"
        )


def model_module(model: str) -> ModuleType:
    """The module of a model name in :data:`MODELS`."""
    if not isinstance(model, str) or model.lower() not in MODELS:
        raise ValueError(f"model must be one of {list(MODELS)}, got {model!r}")
    return importlib.import_module(f"course_lib.{model.lower()}")


def save(
    path: str | Path,
    params: Mapping[str, np.ndarray],
    *,
    model: str,
    vocab: Sequence[str] | None = None,
    options: Mapping | None = None,
    info: Mapping | None = None,
) -> Path:
    """Write ``params`` and what describes them to ``path`` (``.npz`` added if missing).

    The parameters are checked against the model first (keys and shapes), so a checkpoint
    that saves always loads. ``options`` and ``info`` must be JSON-serialisable. Returns the
    path written.
    """
    module = model_module(model)
    params = {
        k: np.asarray(v, dtype=np.float64) for k, v in check.params_dict("params", params).items()
    }
    module.check_params(params)
    if _META in params:
        raise ValueError(f"params must not have a key named {_META!r}")
    meta = {
        "format": FORMAT,
        "version": VERSION,
        "model": model.lower(),
        "vocab": None if vocab is None else [str(s) for s in vocab],
        "options": dict(options or {}),
        "info": dict(info or {}),
    }
    try:
        text = json.dumps(meta)
    except TypeError as exc:
        raise TypeError(f"options and info must be JSON-serialisable: {exc}") from None
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **params, **{_META: np.array(text)})
    return path


def load(path: str | Path) -> Checkpoint:
    """Read a checkpoint written by :func:`save`; a clear error if it is not one."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no checkpoint at {path}")
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise ValueError(f"{path} is not a course_lib checkpoint (.npz): {exc}") from None
    if _META not in arrays:
        raise ValueError(f"{path} is an .npz file but not a course_lib checkpoint (no metadata)")
    meta = json.loads(str(arrays.pop(_META)))
    if meta.get("format") != FORMAT:
        raise ValueError(f"{path} is not a course_lib checkpoint")
    if meta.get("version", 0) > VERSION:
        raise ValueError(
            f"{path} was written by a newer course_lib (checkpoint version {meta['version']}, "
            f"this one reads up to {VERSION}); update the course with git pull"
        )
    params = {k: np.array(v, dtype=np.float64) for k, v in arrays.items()}
    module = model_module(meta["model"])
    module.check_params(params)
    return Checkpoint(params, meta["model"], meta["vocab"], meta["options"], meta["info"])


def shipped(name: str) -> Path:
    """Path of a checkpoint shipped with the course in ``data/`` (see data/README.md)."""
    path = DATA_DIR / (name if name.endswith(".npz") else name + ".npz")
    if not path.exists():
        available = sorted(p.stem for p in DATA_DIR.glob("*.npz"))
        raise FileNotFoundError(f"no shipped checkpoint {name!r}; available: {available}")
    return path
