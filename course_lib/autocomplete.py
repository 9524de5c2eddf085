r"""Autocompletion with a character-level model: the most likely ways to finish a word.

A model trained on ``sequences.word_task`` reads ``<stop>`` (word start) and then the
typed prefix; each completion c₁…c_m is scored by the chain rule,

.. math:: P(c_1 \dots c_m\,\langle stop\rangle \mid \text{prefix})
          = \prod_{j=1}^{m} \hat y(c_j \mid \text{prefix}, c_{<j})
            \cdot \hat y(\langle stop\rangle \mid \text{prefix}, c_1 \dots c_m),

and the ``k`` most probable are found by **beam search**: extend the ``beam`` best partial
completions by every character, keep the best, and set aside each that ends in ⟨stop⟩.
A partial completion's probability can only shrink as it grows, so the search stops as soon
as the best one still open is less likely than the k-th finished one.

Typed text is never an error: capitals are read as lower case, and characters the model
never saw (digits, punctuation, accents) are dropped; :attr:`Result.message` says what was
changed and why.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import ModuleType

import numpy as np

from . import _validate as check
from . import models

STOP = "<stop>"


@dataclass
class Completion:
    """One way to finish the word: the whole ``word``, the ``suffix`` added, its probability."""

    word: str
    suffix: str
    probability: float


@dataclass
class Result:
    """What :func:`complete` returns: the text as typed, the prefix the model read, the
    completions (most likely first), and a ``message`` explaining any change, or None."""

    typed: str
    prefix: str
    completions: list[Completion] = field(default_factory=list)
    message: str | None = None


def clean_prefix(text: object, symbols: list[str]) -> tuple[str, str | None]:
    """The part of ``text`` a word model can read, and a message saying what was changed.

    Only the last word is completed; capitals become lower case; characters outside
    ``symbols`` are dropped.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str (what was typed), got {type(text).__name__}")
    notes = []
    word = text.strip()
    if any(ch.isspace() for ch in word):
        word = word.split()[-1]
        notes.append("the model completes single words, so only the last word is used")
    known = set(symbols)
    lowered = word.lower()
    if any(ch.isupper() and ch.lower() in known for ch in word):
        notes.append("capital letters were read as lower case")
    unknown = sorted({ch for ch in lowered if ch not in known})
    if unknown:
        shown = " ".join(repr(ch) for ch in unknown[:8]) + (" …" if len(unknown) > 8 else "")
        letters = [s for s in symbols if len(s) == 1]
        span = f"{letters[0]}–{letters[-1]}" if letters else "its vocabulary"
        notes.append(f"ignored {shown}: the model only knows {span}")
    clean = "".join(ch for ch in lowered if ch in known)
    message = "; ".join(notes).capitalize() + "." if notes else None
    return clean, message


def _check_symbols(symbols: object) -> list[str]:
    """The model's vocabulary as a list; it must hold ``<stop>``, the word boundary."""
    if isinstance(symbols, str) or not isinstance(symbols, Sequence):
        raise TypeError(
            f"symbols must be a list of str (Vocab.symbols), got {type(symbols).__name__}"
        )
    symbols = list(symbols)
    if not all(isinstance(s, str) for s in symbols):
        raise TypeError("symbols must be a list of str (Vocab.symbols)")
    if STOP not in symbols:
        raise ValueError(f"symbols must contain {STOP!r} (the word boundary), got {symbols[:5]}…")
    return symbols


def _read_prefix(model: ModuleType, params, symbols: list[str], prefix: str, options: dict):
    """Run the model over ``<stop>`` + ``prefix``: next-character probabilities (K,) and
    the state after the last character."""
    index = {s: i for i, s in enumerate(symbols)}
    ids = [index[STOP]] + [index[ch] for ch in prefix]
    probs, cache = model.forward(params, np.eye(len(symbols))[ids][None], **options)
    state = (cache["h"][:, -1], cache["s"][:, -1]) if "h" in cache else cache["s"][:, -1]
    return probs[:, -1], state


def next_char_probs(
    model: str | ModuleType, params, symbols: list[str], text: object, options: dict | None = None
) -> np.ndarray:
    """The model's distribution (K,) of the character after the last word of ``text``
    (cleaned as in :func:`complete`); the entry of ``<stop>`` is "the word ends here"."""
    symbols = _check_symbols(symbols)
    prefix, _ = clean_prefix(text, symbols)
    return _read_prefix(models.get(model), params, symbols, prefix, dict(options or {}))[0][0]


def _state_rows(state, rows: np.ndarray):
    """Rows of a model state: an array (B, d) or a tuple of them (the LSTM's (h, s))."""
    if isinstance(state, tuple):
        return tuple(s[rows] for s in state)
    return state[rows]


def complete(
    model: str | ModuleType,
    params: dict[str, np.ndarray],
    symbols: list[str],
    text: object,
    k: int = 5,
    max_len: int = 12,
    beam: int = 16,
    options: dict | None = None,
) -> Result:
    """The ``k`` most likely completions of the last word of ``text`` (see the module doc).

    ``symbols`` is the model's vocabulary (``Vocab.symbols``, with ``<stop>``), ``max_len``
    the longest suffix tried, ``beam`` the number of partial completions kept per step,
    ``options`` the model's keyword options (e.g. ``{"reset_after": True}``).
    """
    model = models.get(model)
    k = check.integer("k", k, minimum=1)
    max_len = check.integer("max_len", max_len, minimum=1)
    beam = check.integer("beam", beam, minimum=1)
    symbols = _check_symbols(symbols)
    options = dict(options or {})
    stop = symbols.index(STOP)
    prefix, message = clean_prefix(text, symbols)
    result = Result(str(text), prefix, [], message)
    eye = np.eye(len(symbols))
    p, state = _read_prefix(model, params, symbols, prefix, options)  # p: (beams, K), one beam
    suffixes, logp = [""], np.zeros(1)
    finished: list[tuple[float, str]] = []  # a min-heap of the k best (log p, suffix)
    with np.errstate(divide="ignore"):
        for length in range(max_len + 1):
            total = logp[:, None] + np.log(p)  # (beams, K)
            for b, suffix in enumerate(suffixes):
                item = (float(total[b, stop]) if prefix + suffix else -np.inf, suffix)
                if len(finished) < k:
                    heapq.heappush(finished, item)
                elif item > finished[0]:
                    heapq.heapreplace(finished, item)
            total[:, stop] = -np.inf
            if length == max_len:
                break
            flat = np.argsort(total, axis=None)[::-1][:beam]
            flat = flat[np.isfinite(total.ravel()[flat])]
            if len(finished) == k:  # open beams can only lose probability from here on
                flat = flat[total.ravel()[flat] > finished[0][0]]
            if flat.size == 0:
                break
            rows, cols = np.unravel_index(flat, total.shape)
            suffixes = [suffixes[r] + symbols[c] for r, c in zip(rows, cols, strict=True)]
            logp = total[rows, cols]
            p, state = model.cell_step(params, eye[cols], _state_rows(state, rows), **options)
    for lp, suffix in sorted(finished, reverse=True):
        if np.isfinite(lp) and prefix + suffix:  # the empty "word" is no completion
            result.completions.append(Completion(prefix + suffix, suffix, float(np.exp(lp))))
    return result


def most_likely(
    model: str | ModuleType,
    params: dict[str, np.ndarray],
    symbols: list[str],
    text: object,
    max_len: int = 12,
    options: dict | None = None,
    max_nodes: int = 200_000,
) -> tuple[Completion | None, int]:
    r"""The single most likely completion of at most ``max_len`` characters, found **exactly**
    (beam search, :func:`complete`, may miss it), and the number of partial completions
    expanded to prove it.

    Branch and bound: start from the best completion of a beam of 16, probability p*; at
    each length extend *every* partial completion more likely than p* (its probability can
    only shrink as it grows, so no other can lead to a better one) and raise p* whenever one
    ends more likely. At most 1/p* partial completions of one length are more likely than
    p* (their probabilities sum to at most 1), so the search ends; it raises RuntimeError
    rather than hold more than ``max_nodes`` at once. Returns ``(None, 0)`` if no
    completion has a probability above 0.
    """
    model = models.get(model)
    max_len = check.integer("max_len", max_len, minimum=0)
    max_nodes = check.integer("max_nodes", max_nodes, minimum=1)
    symbols = _check_symbols(symbols)
    options = dict(options or {})
    found = complete(model, params, symbols, text, k=1, max_len=max_len, options=options)
    if not found.completions:
        return None, 0
    prefix, stop, eye = found.prefix, symbols.index(STOP), np.eye(len(symbols))
    best = found.completions[0]
    best_lp, best_suffix = float(np.log(best.probability)), best.suffix
    p, state = _read_prefix(model, params, symbols, prefix, options)
    suffixes, logp, expanded = [""], np.zeros(1), 0
    with np.errstate(divide="ignore"):
        for length in range(max_len + 1):
            total = logp[:, None] + np.log(p)  # (open, K)
            ends = total[:, stop] if prefix or length else np.full(1, -np.inf)
            if ends.max() > best_lp:
                best_lp, best_suffix = float(ends.max()), suffixes[int(ends.argmax())]
            total[:, stop] = -np.inf
            flat = np.flatnonzero(total.ravel() > best_lp) if length < max_len else []
            if len(flat) == 0:
                break
            if len(flat) > max_nodes:
                raise RuntimeError(f"more than max_nodes={max_nodes} partial completions")
            rows, cols = np.unravel_index(flat, total.shape)
            suffixes = [suffixes[r] + symbols[c] for r, c in zip(rows, cols, strict=True)]
            logp, expanded = total[rows, cols], expanded + len(flat)
            p, state = model.cell_step(params, eye[cols], _state_rows(state, rows), **options)
    return Completion(prefix + best_suffix, best_suffix, float(np.exp(best_lp))), expanded
