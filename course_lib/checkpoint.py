"""Saving and loading trained recurrent models as ``.npz`` files.

A checkpoint holds the parameter arrays under their own keys, plus one JSON string with
what is needed to use them again: the model's name ("rnn", "lstm", "gru"), its options
(e.g. ``{"reset_after": true}`` for a GRU), the vocabulary's symbols, and free-form
``info`` (how it was trained). Everything is stored as plain arrays and text, so loading
never unpickles anything: ``course_lib._npz`` reads the archive with the rule of
``np.load(allow_pickle=False)`` (object arrays are refused), and checks every declared
size before it allocates or expands anything.

    checkpoint.save("my_lstm.npz", params, model="lstm", vocab=vocab.symbols)
    ckpt = checkpoint.load("my_lstm.npz")
    ckpt.params, ckpt.model, ckpt.vocab, ckpt.options, ckpt.info
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import numpy as np

from . import DATA_DIR, _npz
from . import _validate as check

FORMAT = "course_lib checkpoint"
VERSION = 1
_META = "__meta__"
#: The models a checkpoint may hold (module names in course_lib).
MODELS = ("rnn", "lstm", "gru")
#: The most a checkpoint's arrays may take once expanded, in bytes. The course's models
#: take well under 1 MiB; a file declaring more is refused before anything is expanded.
MAX_BYTES = 256 * 2**20


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

    The parameters are checked against the model first (keys, shapes, finite real values,
    one input per vocabulary symbol), so a checkpoint that saves always loads. ``options``
    and ``info`` must be JSON-serialisable. An existing file is replaced; an existing
    directory is an error. Returns the path written.
    """
    path = check.path("path", path)
    module = model_module(model)
    params = {
        k: np.asarray(v, dtype=np.float64) for k, v in check.params_dict("params", params).items()
    }
    if _META in params:
        raise ValueError(f"params must not have a key named {_META!r}")
    for key, value in params.items():
        if not np.all(np.isfinite(value)):
            raise ValueError(f"params[{key!r}] holds NaN or infinite values; save a model "
                             "that has not diverged")  # fmt: skip
    n, _, _ = module.check_params(params)
    vocab = None if vocab is None else [str(s) for s in vocab]
    if vocab is not None and len(vocab) != n:
        raise ValueError(f"vocab has {len(vocab)} symbols but the model reads n = {n} inputs")
    meta = {
        "format": FORMAT,
        "version": VERSION,
        "model": model.lower(),
        "vocab": vocab,
        "options": dict(options or {}),
        "info": dict(info or {}),
    }
    try:
        text = json.dumps(meta)
    except TypeError as exc:
        raise TypeError(f"options and info must be JSON-serialisable: {exc}") from None
    path = Path(path)
    if path.suffix != ".npz" and not path.is_dir():
        path = path.with_name(path.name + ".npz")
    if path.is_dir():
        raise IsADirectoryError(
            f"{path} is a directory; name the checkpoint file, e.g. {path / 'model.npz'}"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **params, **{_META: np.array(text)})
    return path


def load(path: str | Path) -> Checkpoint:
    """Read a checkpoint written by :func:`save`; a clear error naming the file if it is not
    one (see :mod:`course_lib._npz` for what is checked before anything is expanded)."""
    path = check.path("path", path)
    arrays = _npz.read(path, max_bytes=MAX_BYTES)
    meta = _metadata(path, arrays.pop(_META, None))
    params = _parameters(path, arrays)
    try:
        n, _, _ = model_module(meta["model"]).check_params(params)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{path}: the parameters do not fit a {meta['model']}: {exc}") from None
    if meta["vocab"] is not None and len(meta["vocab"]) != n:
        raise ValueError(
            f"{path}: its vocabulary has {len(meta['vocab'])} symbols but the model reads "
            f"n = {n} inputs"
        )
    return Checkpoint(params, meta["model"], meta["vocab"], meta["options"], meta["info"])


def _metadata(path: Path, text: np.ndarray | None) -> dict:
    """The JSON metadata, every field of the right type, or a ValueError naming the file."""
    if text is None:
        raise ValueError(f"{path} is an .npz file but not a course_lib checkpoint (no metadata)")
    if text.dtype.kind != "U" or text.ndim != 0:
        raise ValueError(f"{path}: its metadata is not one text entry (got {text.dtype} "
                         f"of shape {text.shape})")  # fmt: skip
    try:
        meta = json.loads(str(text))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: its metadata is not valid JSON ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ValueError(f"{path} is not a course_lib checkpoint (its metadata has no "
                         f"format {FORMAT!r})")  # fmt: skip
    version = meta.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValueError(f"{path}: metadata 'version' must be a whole number >= 1, "
                         f"got {version!r}")  # fmt: skip
    if version > VERSION:
        raise ValueError(
            f"{path} was written by a newer course_lib (checkpoint version {version}, "
            f"this one reads up to {VERSION}); update the course with git pull"
        )
    fields = {"model": str, "vocab": (list, type(None)), "options": dict, "info": dict}
    for key, kind in fields.items():
        if key not in meta:
            raise ValueError(f"{path}: its metadata has no {key!r}")
        if not isinstance(meta[key], kind):
            raise ValueError(f"{path}: metadata {key!r} has the wrong type "
                             f"({type(meta[key]).__name__})")  # fmt: skip
    if meta["model"].lower() not in MODELS:
        raise ValueError(f"{path}: metadata 'model' must be one of {list(MODELS)}, "
                         f"got {meta['model']!r}")  # fmt: skip
    if meta["vocab"] is not None and not all(isinstance(s, str) for s in meta["vocab"]):
        raise ValueError(f"{path}: metadata 'vocab' must be a list of strings")
    return {**meta, "model": meta["model"].lower()}


def _parameters(path: Path, arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """float64 copies of the parameter arrays; complex, non-numeric, NaN or infinite
    values are a ValueError naming the file and the key."""
    if not arrays:
        raise ValueError(f"{path}: the checkpoint holds no parameter arrays")
    params = {}
    for key, value in arrays.items():
        if value.dtype.kind == "c":
            raise ValueError(f"{path}: parameter {key!r} is complex ({value.dtype}); "
                             "parameters are real numbers")  # fmt: skip
        if value.dtype.kind not in "fiu":
            raise ValueError(f"{path}: parameter {key!r} has dtype {value.dtype}; parameters "
                             "are real numbers")  # fmt: skip
        params[key] = value.astype(np.float64)
        bad = int(np.sum(~np.isfinite(params[key])))
        if bad:
            raise ValueError(f"{path}: parameter {key!r} holds {bad} NaN or infinite values")
    return params


def shipped(name: str) -> Path:
    """Path of a checkpoint shipped with the course in ``data/`` (see data/README.md)."""
    if not isinstance(name, str):
        raise TypeError(f"name must be a str such as 'words_lstm', got {type(name).__name__}")
    path = DATA_DIR / (name if name.endswith(".npz") else name + ".npz")
    if not path.exists():
        available = sorted(p.stem for p in DATA_DIR.glob("*.npz"))
        raise FileNotFoundError(f"no shipped checkpoint {name!r}; available: {available}")
    return path
