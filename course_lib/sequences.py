r"""Sequences as arrays: vocabularies, one-hot encoding, padding, and the course's tasks.

A task is a :class:`SequenceData`: inputs ``X`` of shape (N, T, n) (one-hot rows or any
vectors), integer ``targets`` of shape (N, T) (an output at every step) or (N,) (one label per
sequence, ``many_to_one``), and a ``mask`` (N, T) that is 1 on real steps and 0 on the
padding that makes sequences of different lengths fit one array.

The tasks follow the notes' examples of sequence learning problems:

* :func:`deep_task`, the lecture's autocompletion toy (vocabulary d, e, p, <stop>);
* :func:`word_task`, autocompletion on a real English word list (data/words.txt);
* :func:`pos_task`, part-of-speech tagging on sentences of a small seeded grammar;
* :func:`sentiment_task`, short reviews where negation and word order decide the label;
* :func:`remember_first_task`, the label is the first symbol of a long sequence;
* :func:`delayed_echo_task`, the target at every step is the symbol seen ``delay`` steps ago;
* :func:`activity_clips`, a tiny "video": frames of a moving bar, classified by activity.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from . import DATA_DIR
from . import _validate as check

STOP = "<stop>"


class Vocab:
    """Symbols and their ids; with ``stop=True`` the symbol ``<stop>`` is appended last.

    ``Vocab("dep")`` has ids d → 0, e → 1, p → 2, <stop> → 3 (the lecture's order).
    A string is a sequence of characters; a list of words is a sequence of words.
    """

    def __init__(self, symbols: Sequence[str], stop: bool = True):
        if not isinstance(symbols, Sequence) or not all(isinstance(s, str) for s in symbols):
            raise TypeError(f"symbols must be a str or a list of str, got {symbols!r:.40}")
        symbols = list(symbols)
        stop = check.flag("stop", stop)
        if not symbols:
            raise ValueError("symbols must not be empty")
        if stop and STOP not in symbols:
            symbols.append(STOP)
        if len(set(symbols)) != len(symbols):
            raise ValueError(f"symbols must be distinct, got {symbols}")
        self.symbols: list[str] = symbols
        self.index: dict[str, int] = {s: i for i, s in enumerate(symbols)}

    @property
    def stop_id(self) -> int:
        """Id of ``<stop>`` (raises if this vocabulary has none)."""
        if STOP not in self.index:
            raise ValueError("this vocabulary has no <stop> symbol")
        return self.index[STOP]

    def __len__(self) -> int:
        return len(self.symbols)

    def __contains__(self, symbol: str) -> bool:
        return symbol in self.index

    def __repr__(self) -> str:
        shown = ", ".join(self.symbols[:12]) + (", ..." if len(self) > 12 else "")
        return f"Vocab({len(self)} symbols: {shown})"

    def encode(self, tokens: Sequence[str]) -> list[int]:
        """Token ids of a string (its characters) or a list of words."""
        unknown = [t for t in tokens if t not in self.index]
        if unknown:
            raise ValueError(f"tokens not in the vocabulary: {sorted(set(unknown))[:10]}")
        return [self.index[t] for t in tokens]

    def decode(self, ids: Sequence[int], sep: str = "") -> str:
        """The symbols of ``ids`` joined by ``sep`` ('' for characters, ' ' for words)."""
        ids = check_ids("ids", ids, len(self))
        return sep.join(self.symbols[i] for i in ids.ravel())

    def one_hot(self, ids: Sequence[int]) -> np.ndarray:
        """One-hot rows of shape (*ids.shape, len(self)); see :func:`one_hot`."""
        return one_hot(ids, len(self))


def check_ids(name: str, ids: object, size: int) -> np.ndarray:
    """``ids`` as an int array with every entry in [0, size), or a clear error."""
    if not isinstance(name, str):
        raise TypeError(f"name must be the argument's name (a str), got {type(name).__name__}")
    size = check.integer("size", size, minimum=1)
    arr = np.asarray(ids)
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        if np.issubdtype(arr.dtype, np.floating) and np.all(arr == np.round(arr)):
            raise TypeError(
                f"{name} must be integer token ids, got dtype {arr.dtype} "
                "(use .astype(int) if these floats are ids)"
            )
        raise TypeError(f"{name} must be integer token ids, got dtype {arr.dtype}")
    arr = arr.astype(np.int64)
    bad = (arr < 0) | (arr >= size)
    if bad.any():
        raise ValueError(
            f"{name} must be in [0, {size}), got {arr[bad][0]} at position "
            f"{tuple(int(i) for i in np.argwhere(bad)[0])}"
        )
    return arr


def one_hot(ids: Sequence[int], size: int) -> np.ndarray:
    r"""One-hot encoding: ``out[..., i] = 1`` where ``i = ids[...]``, 0 elsewhere.

    ``ids`` int, any shape; returns float64 of shape (*ids.shape, size).
    """
    size = check.integer("size", size, minimum=1)
    ids = check_ids("ids", ids, size)
    out = np.zeros((*ids.shape, size))
    np.put_along_axis(out, ids[..., None], 1.0, axis=-1)
    return out


def _token_ids(name: str, ids: object) -> list[int]:
    """``ids`` as a list of int token ids (ints, not floats, bools or text), or an error."""
    if isinstance(ids, str | bytes) or not isinstance(ids, Sequence | np.ndarray):
        raise TypeError(f"{name} must be a list of int token ids, got {type(ids).__name__}")
    out = list(ids)
    for j, token in enumerate(out):
        if isinstance(token, bool) or not isinstance(token, numbers.Integral):
            raise TypeError(
                f"{name}[{j}] must be an int token id, got {type(token).__name__} {token!r}"
            )
    return [int(token) for token in out]


def pad(sequences: Sequence[Sequence[int]], value: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Right-pad integer sequences to the longest one.

    Returns ``ids`` int (N, T) with ``value`` in the padding and ``mask`` float (N, T),
    1 on real steps and 0 on padding. Every sequence must have at least one step.
    """
    if isinstance(sequences, str | bytes) or not isinstance(sequences, Sequence | np.ndarray):
        raise TypeError(
            f"sequences must be a list of lists of token ids, got {type(sequences).__name__}"
        )
    value = check.integer("value", value)
    sequences = [_token_ids(f"sequences[{i}]", s) for i, s in enumerate(sequences)]
    if not sequences:
        raise ValueError("sequences must not be empty")
    lengths = [len(s) for s in sequences]
    if min(lengths) == 0:
        raise ValueError(f"sequence {lengths.index(0)} is empty; every sequence needs a step")
    ids = np.full((len(sequences), max(lengths)), value, dtype=np.int64)
    mask = np.zeros(ids.shape)
    for i, s in enumerate(sequences):
        ids[i, : len(s)] = s
        mask[i, : len(s)] = 1.0
    return ids, mask


@dataclass
class SequenceData:
    """A sequence task as arrays, plus what is needed to read it back.

    Attributes:
        X: float64 (N, T, n) inputs, zero on padding.
        targets: int (N, T), or (N,) when ``many_to_one``.
        mask: float64 (N, T), 1 on real steps.
        many_to_one: one label per sequence (scored at its last real step).
        in_vocab, out_vocab: vocabularies of inputs and outputs (None for vector inputs).
        tokens: the sequences as token lists (words, characters or frames' ids), for display.
    """

    X: np.ndarray
    targets: np.ndarray
    mask: np.ndarray
    many_to_one: bool = False
    in_vocab: Vocab | None = None
    out_vocab: Vocab | None = None
    tokens: list | None = None

    def __len__(self) -> int:
        return len(self.X)

    @property
    def lengths(self) -> np.ndarray:
        """Number of real steps of each sequence, int (N,)."""
        return self.mask.sum(axis=1).astype(int)

    def subset(self, idx) -> SequenceData:
        """The sequences at ``idx`` (indices or a boolean array), trailing padding trimmed."""
        idx = np.arange(len(self))[idx]
        mask = self.mask[idx]
        T = int(mask.sum(axis=1).max()) if len(idx) else 0
        return SequenceData(
            self.X[idx, :T],
            self.targets[idx] if self.many_to_one else self.targets[idx, :T],
            mask[:, :T],
            self.many_to_one,
            self.in_vocab,
            self.out_vocab,
            None if self.tokens is None else [self.tokens[i] for i in idx],
        )

    def split(self, n_train: int | float, seed: int = 0) -> tuple[SequenceData, SequenceData]:
        """A seeded random split: ``n_train`` sequences (or that fraction) and the rest."""
        n = len(self)
        if isinstance(n_train, float):
            n_train = int(round(check.in_range("n_train", n_train, 0.0, 1.0) * n))
        n_train = check.integer("n_train", n_train, minimum=1)
        if n_train >= n:
            raise ValueError(f"n_train must be < {n} (the number of sequences), got {n_train}")
        order = np.random.default_rng(seed).permutation(n)
        return self.subset(np.sort(order[:n_train])), self.subset(np.sort(order[n_train:]))

    def batches(
        self, batch_size: int, rng: np.random.Generator | int | None = None, shuffle: bool = True
    ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Mini-batches ``(X, targets, mask)``, each trimmed to its longest sequence.

        With ``shuffle`` the order is a permutation drawn from ``rng`` (seed 0 if None).
        """
        batch_size = check.integer("batch_size", batch_size, minimum=1)
        order = np.arange(len(self))
        if shuffle:
            order = check.generator("rng", rng).permutation(len(self))
        lengths = self.lengths
        for start in range(0, len(self), batch_size):
            idx = order[start : start + batch_size]
            T = int(lengths[idx].max())
            targets = self.targets[idx] if self.many_to_one else self.targets[idx, :T]
            yield self.X[idx, :T], targets, self.mask[idx, :T]


def _from_ids(
    inputs: Sequence[Sequence[int]],
    outputs: Sequence[Sequence[int]] | Sequence[int],
    in_vocab: Vocab,
    out_vocab: Vocab,
    many_to_one: bool,
    tokens: list,
) -> SequenceData:
    ids, mask = pad(inputs)
    X = one_hot(ids, len(in_vocab)) * mask[..., None]
    if many_to_one:
        targets = np.asarray(outputs, dtype=np.int64)
    else:
        targets, _ = pad(outputs)
    return SequenceData(X, targets, mask, many_to_one, in_vocab, out_vocab, tokens)


# --- autocompletion ---------------------------------------------------------------------------

DEEP_VOCAB = Vocab("dep")


def next_char_pairs(word: str, vocab: Vocab, boundary: bool = False) -> tuple[list, list]:
    """Inputs and targets for predicting each next character of ``word``.

    "deep" → inputs d e e p, targets e e p <stop>. With ``boundary`` the input starts with
    <stop> (read as "a word begins here"), so the first letter is predicted too:
    inputs <stop> d e e p, targets d e e p <stop>.
    """
    if not isinstance(word, str):
        raise TypeError(f"word must be a str, got {type(word).__name__}")
    if not isinstance(vocab, Vocab):
        raise TypeError(f"vocab must be a sequences.Vocab, got {type(vocab).__name__}")
    if not isinstance(boundary, bool):
        raise TypeError(f"boundary must be True or False, got {type(boundary).__name__}")
    if len(word) == 0:
        raise ValueError("word must hold at least one character, got ''")
    ids = vocab.encode(word)
    stop = vocab.stop_id
    if boundary:  # <stop> d e e p -> d e e p <stop>
        return [stop] + ids, ids + [stop]
    return ids, ids[1:] + [stop]  # d e e p -> e e p <stop>


def deep_task() -> SequenceData:
    """The lecture's toy: the word "deep" over the vocabulary {d, e, p, <stop>}; N = 1, T = 4."""
    x, y = next_char_pairs("deep", DEEP_VOCAB)
    return _from_ids([x], [y], DEEP_VOCAB, DEEP_VOCAB, False, [list("deep")])


def load_words(min_len: int = 3, max_len: int = 8) -> list[str]:
    """The course's English word list (data/words.txt, from Debian's wamerican; see
    data/README.md), lowercase a-z only, with ``min_len`` to ``max_len`` letters."""
    min_len = check.integer("min_len", min_len, minimum=1)
    max_len = check.integer("max_len", max_len, minimum=min_len)
    path = DATA_DIR / "words.txt"
    words = path.read_text(encoding="ascii").split()
    return [w for w in words if min_len <= len(w) <= max_len]


LETTERS = Vocab("abcdefghijklmnopqrstuvwxyz")


def word_task(words: Sequence[str] | None = None, boundary: bool = True) -> SequenceData:
    """Next-character prediction on ``words`` (default: :func:`load_words`), vocabulary a-z
    and <stop>; with ``boundary`` each input starts with <stop> (see :func:`next_char_pairs`)."""
    if isinstance(words, str) or not (words is None or isinstance(words, Sequence)):
        raise TypeError(
            f"words must be a list of words (str), got {type(words).__name__} {words!r:.40}"
        )
    words = load_words() if words is None else list(words)
    for i, word in enumerate(words):
        if not isinstance(word, str) or not word:
            raise ValueError(f"words[{i}] must be a non-empty str, got {word!r:.40}")
    if not words:
        raise ValueError("words must not be empty")
    pairs = [next_char_pairs(w, LETTERS, boundary) for w in words]
    return _from_ids(
        [p[0] for p in pairs], [p[1] for p in pairs], LETTERS, LETTERS, False, list(words)
    )


# --- part-of-speech tagging -------------------------------------------------------------------

#: Words by tag. Some words have two tags ("watch", "fly", "light", "fast", ...): only the
#: words before them decide which, so a per-word lookup is not enough.
LEXICON: dict[str, list[str]] = {
    "DET": ["the", "a", "every", "my", "this"],
    "ADJ": ["big", "small", "old", "red", "happy", "light", "fast", "quiet"],
    "NOUN": ["dog", "cat", "man", "bird", "book", "park", "watch", "fly", "play"],
    "PRON": ["i", "we", "they", "you"],
    "VERB": ["watch", "fly", "play", "see", "like", "read", "light", "find"],
    "VERBS": ["watches", "flies", "plays", "sees", "likes", "reads", "lights", "finds"],
    "ADV": ["fast", "today", "well", "quietly", "again"],
    "PREP": ["in", "near", "with"],
}
TAGS = Vocab(["DET", "ADJ", "NOUN", "PRON", "VERB", "ADV", "PREP"], stop=False)


def _pos_sentence(rng: np.random.Generator, p_second_adj: float) -> list[tuple[str, str]]:
    """One sentence of the grammar as (word, tag) pairs.

    S → Subj VP [PP];  Subj → PRON (base-form verb) | NP (verb in -s form);
    NP → DET [ADJ [ADJ]] NOUN;  VP → VERB [NP] [ADV];  PP → PREP NP.
    """

    def pick(tag: str) -> str:
        words = LEXICON[tag]
        return words[rng.integers(len(words))]

    def noun_phrase() -> list[tuple[str, str]]:
        out = [(pick("DET"), "DET")]
        if rng.random() < 0.6:
            out.append((pick("ADJ"), "ADJ"))
            if rng.random() < p_second_adj:
                out.append((pick("ADJ"), "ADJ"))
        return out + [(pick("NOUN"), "NOUN")]

    if rng.random() < 0.5:
        sentence, verb = [(pick("PRON"), "PRON")], pick("VERB")
    else:
        sentence, verb = noun_phrase(), pick("VERBS")
    sentence.append((verb, "VERB"))
    if rng.random() < 0.7:
        sentence += noun_phrase()
    if rng.random() < 0.4:
        sentence.append((pick("ADV"), "ADV"))
    if rng.random() < 0.3:
        sentence += [(pick("PREP"), "PREP")] + noun_phrase()
    return sentence


POS_WORDS = Vocab(sorted({w for words in LEXICON.values() for w in words}), stop=False)


def pos_task(n: int = 1000, seed: int = 0, p_second_adj: float = 0.05) -> SequenceData:
    """Part-of-speech tagging: ``n`` sentences of a seeded grammar, a tag at every word.

    After an adjective comes a noun, except with probability ``p_second_adj`` (a second
    adjective). ``tokens`` holds the sentences as word lists.
    """
    n = check.integer("n", n, minimum=1)
    p_second_adj = check.in_range("p_second_adj", p_second_adj, 0.0, 1.0)
    rng = np.random.default_rng(check.integer("seed", seed, minimum=0))
    sentences = [_pos_sentence(rng, p_second_adj) for _ in range(n)]
    words = [[w for w, _ in s] for s in sentences]
    tags = [[TAGS.index[t] for _, t in s] for s in sentences]
    return _from_ids([POS_WORDS.encode(w) for w in words], tags, POS_WORDS, TAGS, False, words)


# --- sentiment --------------------------------------------------------------------------------

POSITIVE = ["good", "great", "fun", "moving"]
NEGATIVE = ["bad", "dull", "boring", "awful"]
SENTIMENT_WORDS = Vocab(
    POSITIVE + NEGATIVE + ["not", "very", "but", ",", "the", "film", "plot", "was", "is"],
    stop=False,
)
SENTIMENT = Vocab(["negative", "positive"], stop=False)


def _clause(rng: np.random.Generator, negation: bool = True) -> tuple[list[str], int]:
    """'[the film was] [not] [very] ADJ' and its polarity (+1/−1), flipped by "not"."""
    positive = rng.random() < 0.5
    adj = (POSITIVE if positive else NEGATIVE)[rng.integers(4)]
    negated = negation and rng.random() < 0.5
    words = (["not"] if negated else []) + (["very"] if rng.random() < 0.3 else []) + [adj]
    if rng.random() < 0.4:
        words = ["the", ["film", "plot"][rng.integers(2)], ["was", "is"][rng.integers(2)]] + words
    return words, (1 if positive else -1) * (-1 if negated else 1)


def _review(rng: np.random.Generator) -> tuple[list[str], int]:
    """A review and its label (1 positive, 0 negative).

    Three templates, equally likely: one clause ("not good" → negative); "A , not B" where
    B has the opposite polarity of A, so both say the same ("good , not bad" → positive,
    "bad , not good" → negative); "A but B", where the clause after "but" decides
    ("fun but boring" → negative, "boring but fun" → positive).
    """
    kind = rng.integers(3)
    if kind == 0:
        words, pol = _clause(rng)
        return words, int(pol > 0)
    if kind == 1:
        words, pol = _clause(rng, negation=False)
        opposite = NEGATIVE if pol > 0 else POSITIVE
        return words + [",", "not", opposite[rng.integers(4)]], int(pol > 0)
    first, _ = _clause(rng)
    second, pol = _clause(rng)
    return first + ["but"] + second, int(pol > 0)


def sentiment_task(n: int = 1000, seed: int = 0) -> SequenceData:
    """Sentiment of ``n`` short generated reviews, one label per review (many-to-one).

    The label depends on negation and on word order ("good but dull" is negative, "dull but
    good" positive), so reviews with the same bag of words can have opposite labels.
    """
    n = check.integer("n", n, minimum=1)
    rng = np.random.default_rng(check.integer("seed", seed, minimum=0))
    reviews = [_review(rng) for _ in range(n)]
    words = [r[0] for r in reviews]
    labels = [r[1] for r in reviews]
    inputs = [SENTIMENT_WORDS.encode(w) for w in words]
    return _from_ids(inputs, labels, SENTIMENT_WORDS, SENTIMENT, True, words)


def best_bag_of_words_accuracy(data: SequenceData) -> float:
    """The highest accuracy ANY classifier that sees only the bag of words can reach on
    ``data`` (many-to-one): for each distinct multiset of tokens, predict its majority label.
    """
    if not isinstance(data, SequenceData):
        raise TypeError(f"data must be a SequenceData, got {type(data).__name__}")
    if not data.many_to_one:
        raise ValueError("data must be a many-to-one task (one label per sequence)")
    groups: dict[tuple, np.ndarray] = {}
    n_classes = int(data.targets.max()) + 1
    for tokens, label in zip(data.tokens, data.targets, strict=True):
        key = tuple(sorted(map(str, tokens)))
        groups.setdefault(key, np.zeros(n_classes, dtype=int))[label] += 1
    return sum(int(c.max()) for c in groups.values()) / len(data)


# --- long-range dependency --------------------------------------------------------------------


def remember_first_task(
    n: int = 512, length: int = 10, n_symbols: int = 4, seed: int = 0
) -> SequenceData:
    """The label is the FIRST symbol of a sequence of ``length`` random symbols.

    Only the first step carries the answer; the ``length − 1`` later ones are noise, so a
    model must carry one symbol across ``length − 1`` steps: the dependency length.
    Many-to-one; chance accuracy is 1 / n_symbols.
    """
    n = check.integer("n", n, minimum=1)
    length = check.integer("length", length, minimum=1)
    n_symbols = check.integer("n_symbols", n_symbols, minimum=2)
    rng = np.random.default_rng(check.integer("seed", seed, minimum=0))
    ids = rng.integers(n_symbols, size=(n, length))
    vocab = Vocab([chr(ord("A") + i) for i in range(n_symbols)], stop=False)
    X = one_hot(ids, n_symbols)
    return SequenceData(X, ids[:, 0].copy(), np.ones((n, length)), True, vocab, vocab, ids.tolist())


def delayed_echo_task(
    n: int = 512, length: int = 30, delay: int = 5, n_symbols: int = 4, seed: int = 0
) -> SequenceData:
    """The target at EVERY step t is the symbol seen ``delay`` steps before: y_t = x_{t−delay}.

    A many-to-many long-range dependency: every loss term ℓ_t depends on the input
    ``delay`` steps back and on nothing nearer. The first ``delay`` targets are symbols
    drawn before the sequence began, which the model never sees: no model can beat chance
    (1 / n_symbols) there, so accuracy is measured on steps t > delay (:func:`echo_accuracy`).
    """
    n = check.integer("n", n, minimum=1)
    length = check.integer("length", length, minimum=2)
    delay = check.integer("delay", delay, minimum=1)
    if delay >= length:
        raise ValueError(f"delay must be < length = {length}, got {delay}")
    n_symbols = check.integer("n_symbols", n_symbols, minimum=2)
    rng = np.random.default_rng(check.integer("seed", seed, minimum=0))
    stream = rng.integers(n_symbols, size=(n, delay + length))  # `delay` unseen symbols first
    ids, targets = stream[:, delay:], stream[:, :length]
    vocab = Vocab([chr(ord("A") + i) for i in range(n_symbols)], stop=False)
    X = one_hot(ids, n_symbols)
    return SequenceData(X, targets.copy(), np.ones((n, length)), False, vocab, vocab, ids.tolist())


def echo_accuracy(probs, data: SequenceData, delay: int) -> float:
    """The fraction of steps t > ``delay`` (those whose target was shown) at which the most
    probable symbol of ``probs`` (N, T, K) is the target of :func:`delayed_echo_task`."""
    probs = check.float_array("probs", probs, ndim=3)
    if not isinstance(data, SequenceData):
        raise TypeError(f"data must be a SequenceData, got {type(data).__name__}")
    if probs.shape[:2] != data.targets.shape:
        raise ValueError(
            f"probs must have shape (N, T, K) with (N, T) = {data.targets.shape}, got {probs.shape}"
        )
    delay = check.integer("delay", delay, minimum=0)
    return float(np.mean(probs[:, delay:].argmax(-1) == data.targets[:, delay:]))


# --- a "video": a sequence of frames ----------------------------------------------------------

ACTIVITIES = Vocab(["left", "right", "up", "down"], stop=False)


def activity_clips(
    n: int = 8, frames: int = 6, size: int = 6, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Tiny videos of a bar sweeping across a ``size`` × ``size`` image, one step per frame.

    Activity "left"/"right" moves a vertical bar, "up"/"down" a horizontal one. A "left"
    clip is a "right" clip played backwards: the same frames in the other order, so only
    the order of the frames tells the two apart.

    Returns ``clips`` float64 (n, frames, size, size) and ``labels`` int (n,) (ACTIVITIES ids).
    """
    n = check.integer("n", n, minimum=1)
    frames = check.integer("frames", frames, minimum=2)
    size = check.integer("size", size, minimum=2)
    rng = np.random.default_rng(check.integer("seed", seed, minimum=0))
    labels = rng.integers(len(ACTIVITIES), size=n)
    clips = np.zeros((n, frames, size, size))
    for i, label in enumerate(labels):
        start = rng.integers(size)
        pos = (start + np.arange(frames)) % size  # the bar wraps around the edge
        if label in (0, 2):  # left, up: decreasing position
            pos = (start - np.arange(frames)) % size
        for f, p in enumerate(pos):
            if label < 2:
                clips[i, f, :, p] = 1.0
            else:
                clips[i, f, p, :] = 1.0
    return clips, labels
