"""Beam-search autocompletion against every completion scored by brute force."""

import itertools

import numpy as np
import pytest

from course_lib import autocomplete, rnn

SYMBOLS = ["a", "b", "c", "<stop>"]


def brute_force(params, prefix, max_len):
    """P(suffix <stop> | <stop> prefix) for every suffix of at most max_len letters, by the
    chain rule over one forward pass each."""
    index = {s: i for i, s in enumerate(SYMBOLS)}
    scores = {}
    for n in range(max_len + 1):
        for suffix in itertools.product("abc", repeat=n):
            word = prefix + "".join(suffix)
            if not word:
                continue
            ids = [index["<stop>"]] + [index[ch] for ch in word]
            probs, _ = rnn.forward(params, np.eye(4)[ids][None])
            targets = ids[1 + len(prefix) :] + [index["<stop>"]]
            steps = range(len(prefix), len(word) + 1)
            scores["".join(suffix)] = float(
                np.prod([probs[0, t, y] for t, y in zip(steps, targets, strict=True)])
            )
    return scores


@pytest.mark.parametrize("prefix", ["", "b", "ca"])
def test_the_k_best_completions_are_the_k_most_probable(prefix):
    params = rnn.init_params(4, 6, 4, rng=3, w_scale=2.0)
    scores = brute_force(params, prefix, max_len=3)
    best = sorted(scores.items(), key=lambda kv: -kv[1])[:4]
    result = autocomplete.complete(rnn, params, SYMBOLS, prefix, k=4, max_len=3, beam=64)
    assert [c.suffix for c in result.completions] == [s for s, _ in best]
    assert [c.probability for c in result.completions] == pytest.approx(
        [p for _, p in best], rel=1e-9
    )
    probs = autocomplete.next_char_probs(rnn, params, SYMBOLS, prefix)
    assert probs.sum() == pytest.approx(1.0)
    if prefix:  # the word ends here: the empty suffix
        assert probs[3] == pytest.approx(scores[""], rel=1e-12)


def test_a_vocabulary_without_the_word_boundary_is_named():
    params = rnn.init_params(3, 4, 3, rng=0)
    for call in (autocomplete.complete, autocomplete.next_char_probs):
        with pytest.raises(ValueError, match="symbols must contain '<stop>'"):
            call(rnn, params, ["a", "b", "c"], "ab")
