"""Checks for notebook 06 (sequence learning problems)."""

from __future__ import annotations

from .. import sequences
from ._feedback import Checker


def infeasible_param_count(t: int, n: int, d: int, K: int) -> int:
    """Parameters of the network that reads all t inputs so far (t·n numbers) at step t:
    U_t (d × t·n), b (d), V (K × d), c (K)."""
    return d * t * n + d + K * d + K


def check_infeasible_param_count(count) -> bool:
    """``count(t, n, d, K)``: parameters of the step-t network of the infeasible approach."""
    with Checker("parameters of the infeasible approach") as c:
        for t, n, d, K in [(1, 4, 3, 4), (2, 4, 3, 4), (5, 27, 16, 27), (10, 1, 2, 3)]:
            got = c.call(count, t, n, d, K)
            expected = infeasible_param_count(t, n, d, K)
            c.equal(f"for t={t}, n={n}, d={d}, K={K}", got, expected, slips={
                "the count must grow with t: at step t the input has t·n numbers":
                    infeasible_param_count(1, n, d, K),
                "count the biases too: b has d entries and c has K": d * t * n + K * d,
                "that is the recurrent network's count, which does not depend on t":
                    d * n + d + K * d + K + d * d,
            })  # fmt: skip
    return c.report()


def check_next_char_pairs(pairs) -> bool:
    """``pairs(word, vocab)`` -> (input ids, target ids) for next-character prediction."""
    with Checker("inputs and targets for autocompletion") as c:
        for word, vocab in [("deep", sequences.DEEP_VOCAB), ("ped", sequences.DEEP_VOCAB),
                            ("rnn", sequences.LETTERS)]:  # fmt: skip
            got = c.call(pairs, word, vocab)
            inputs, targets = c.parts(got, 2, "(inputs, targets)")
            x, y = sequences.next_char_pairs(word, vocab)
            c.equal(f"inputs for {word!r} (the ids of its letters)", inputs, x)
            c.equal(f"targets for {word!r}", targets, y, slips={
                "the target at step t is the NEXT character: shift by one": vocab.encode(word),
                "after the last letter the model must predict <stop>: append vocab.stop_id":
                    x[1:],
            })  # fmt: skip
    return c.report()
