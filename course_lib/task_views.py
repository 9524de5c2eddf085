r"""What a sequence task asks at each time step (notebook 06): inputs, targets, scored steps.

A sequence learning problem turns an input sequence x_1, ..., x_T into targets; which
outputs ŷ_t the loss scores decides the kind of problem:

========================  ======================  ==========================  ============
task                      input x_t               target at step t            scored steps
========================  ======================  ==========================  ============
``"autocompletion"``      the t-th letter         the next letter (⟨stop⟩     every step
                                                  after the last)
``"tagging"``             the t-th word           its part of speech          every step
``"sentiment"``           the t-th word           none, except the review's   the last only
                                                  label at t = T
========================  ======================  ==========================  ============

The loss is :math:`\mathcal L = \sum_t m_t\,\ell_t` with the scored mask m (1 on a scored
step, 0 elsewhere): autocompletion and tagging are many-to-many, sentiment many-to-one.

:func:`tag_sentence` and :func:`review_label` give the targets of any sentence or review
written with the words of the course's grammars (``sequences.pos_task``,
``sequences.sentiment_task``): they are those grammars' rules, written out, and
tests/unit/test_task_views.py holds them equal to the generators' own labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import sequences as sq

TASKS = ("autocompletion", "tagging", "sentiment")
#: What the explorer offers to pick, per task (each valid for its task).
EXAMPLES = {
    "autocompletion": ["deep", "banana", "letter", "sequence"],
    "tagging": ["we watch the watch", "the fast dog sees fast",
                "they light a light", "i like the old book again"],
    "sentiment": ["good , not bad", "bad , not good", "the film was not very good",
                  "dull but fun", "fun but dull"],
}  # fmt: skip

_PRONOUNS = set(sq.LEXICON["PRON"])
_AMBIGUOUS = {w for w in sq.POS_WORDS.symbols if sum(w in v for v in sq.LEXICON.values()) > 1}


@dataclass(frozen=True)
class TaskView:
    """One input seen as a task: per step t = 1..T, the input, the target ("" where there is
    none) and whether ŷ_t is scored.

    ``inputs``, ``targets``: lists of T strings; ``scored``: bool array (T,).
    """

    task: str
    inputs: list[str]
    targets: list[str]
    scored: np.ndarray

    @property
    def T(self) -> int:
        return len(self.inputs)

    @property
    def many_to_one(self) -> bool:
        """Whether only the last output is scored (sentiment)."""
        return self.task == "sentiment"


def tokens(task: str, text: str) -> list[str]:
    """The time steps of ``text`` for ``task``: its letters for autocompletion (lower case,
    a to z only), its words (split on spaces, lower case) for tagging and sentiment.

    Raises ValueError naming what is not in the task's vocabulary.
    """
    task = check_task(task)
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    text = text.strip().lower()
    if not text:
        raise ValueError("text must not be empty: type a word, a sentence or a review")
    if task == "autocompletion":
        bad = sorted({ch for ch in text if ch not in sq.LETTERS.index or ch == sq.STOP})
        if bad:
            raise ValueError(f"text for autocompletion must be one word of letters a-z, got {bad}")
        return list(text)
    words = text.split()
    vocab = sq.POS_WORDS if task == "tagging" else sq.SENTIMENT_WORDS
    unknown = sorted({w for w in words if w not in vocab})
    if unknown:
        raise ValueError(
            f"words not in the {task} vocabulary: {unknown[:5]} (known: {', '.join(vocab.symbols)})"
        )
    return words


def check_task(task: object) -> str:
    """``task`` if it is one of :data:`TASKS`, else a ValueError listing them."""
    if task not in TASKS:
        raise ValueError(f"task must be one of {TASKS}, got {task!r}")
    return task  # type: ignore[return-value]


def tag_sentence(words: Sequence[str]) -> list[str]:
    """The part-of-speech tags of ``words`` under the grammar of ``sequences.pos_task``.

    A word with one tag in the lexicon gets it. The grammar's ambiguous words are decided by
    the word before them: *watch, fly, play* are verbs after a pronoun and nouns otherwise;
    *light* is a verb after a pronoun and an adjective otherwise; *fast* is an adjective
    after a determiner or an adjective and an adverb otherwise.
    """
    words = _word_list("words", words, sq.POS_WORDS, "tagging")
    tags: list[str] = []
    for t, word in enumerate(words):
        prev_word = words[t - 1] if t else None
        prev_tag = tags[t - 1] if t else None
        if word not in _AMBIGUOUS:
            tag = next(k for k, v in sq.LEXICON.items() if word in v)
            tags.append("VERB" if tag == "VERBS" else tag)
        elif word == "fast":
            tags.append("ADJ" if prev_tag in ("DET", "ADJ") else "ADV")
        elif prev_word in _PRONOUNS:
            tags.append("VERB")
        else:
            tags.append("ADJ" if word == "light" else "NOUN")
    return tags


def _clause_polarity(words: Sequence[str]) -> int:
    """+1 or −1: the polarity of the clause's adjective, flipped by each "not"."""
    adjectives = [w for w in words if w in sq.POSITIVE or w in sq.NEGATIVE]
    if len(adjectives) != 1:
        raise ValueError(f"a clause needs exactly one adjective, got {list(words)}")
    polarity = 1 if adjectives[0] in sq.POSITIVE else -1
    return polarity * (-1) ** words.count("not")


def review_label(words: Sequence[str]) -> str:
    """ "positive" or "negative" for a review of ``sequences.sentiment_task``'s grammar.

    With "but", the clause after it decides ("fun but dull" is negative); with ",", the
    first clause does (the second, "not" + the opposite adjective, agrees with it);
    otherwise the one clause, its adjective's polarity flipped by "not".
    """
    words = _word_list("words", words, sq.SENTIMENT_WORDS, "sentiment")
    if "but" in words:
        clause = words[len(words) - words[::-1].index("but") :]
    elif "," in words:
        clause = words[: words.index(",")]
    else:
        clause = words
    return "positive" if _clause_polarity(clause) > 0 else "negative"


def task_view(task: str, text: str) -> TaskView:
    """Per step: input, target, scored, for ``text`` read as ``task`` (see the module's table).

    >>> v = task_view("autocompletion", "deep")
    >>> v.inputs, v.targets, v.scored.tolist()
    (['d', 'e', 'e', 'p'], ['e', 'e', 'p', '<stop>'], [True, True, True, True])
    """
    steps = tokens(task, text)
    T = len(steps)
    if task == "autocompletion":
        targets = steps[1:] + [sq.STOP]
        scored = np.ones(T, dtype=bool)
    elif task == "tagging":
        targets = tag_sentence(steps)
        scored = np.ones(T, dtype=bool)
    else:
        targets = [""] * (T - 1) + [review_label(steps)]
        scored = np.arange(T) == T - 1
    return TaskView(task, steps, targets, scored)


def ambiguous_steps(view: TaskView) -> list[int]:
    """The scored steps t (1-based) whose input occurs at another scored step with a
    different target: there the current input alone cannot give the right answer."""
    if not isinstance(view, TaskView):
        raise TypeError(f"view must be a TaskView (from task_view), got {type(view).__name__}")
    seen: dict[str, set[str]] = {}
    for x, y, m in zip(view.inputs, view.targets, view.scored, strict=True):
        if m:
            seen.setdefault(x, set()).add(y)
    return [
        t + 1
        for t, (x, m) in enumerate(zip(view.inputs, view.scored, strict=True))
        if m and len(seen[x]) > 1
    ]


def _word_list(name: str, words: object, vocab: sq.Vocab, task: str) -> list[str]:
    """``words`` as a non-empty list of words of ``vocab``, or an error naming the first
    that is not (a string is refused: it would be read letter by letter)."""
    if isinstance(words, str) or not isinstance(words, Sequence):
        raise TypeError(f"{name} must be a list of words, got {type(words).__name__} {words!r:.40}")
    if not words:
        raise ValueError(f"{name} must not be empty")
    for t, word in enumerate(words):
        if word not in vocab:
            raise ValueError(f"{name}[{t}] = {word!r} is not in the {task} vocabulary")
    return list(words)
