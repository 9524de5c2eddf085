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
    c = Checker("parameters of the infeasible approach")
    for t, n, d, K in [(1, 4, 3, 4), (2, 4, 3, 4), (5, 27, 16, 27), (10, 1, 2, 3)]:
        got = c.call(count, t, n, d, K)
        if c.crashed:
            break
        expected = infeasible_param_count(t, n, d, K)
        if not c.returned(got):
            break
        if got == expected:
            continue
        if got == infeasible_param_count(1, n, d, K):
            c.fail("the count must grow with t: at step t the input has t·n numbers")
        elif got == d * t * n + K * d:
            c.fail("count the biases too: b has d entries and c has K")
        elif got == d * n + d + K * d + K + d * d:
            c.fail("that is the recurrent network's count, which does not depend on t")
        else:
            c.fail(f"for t={t}, n={n}, d={d}, K={K}: expected {expected}, got {got}")
        break
    return c.report()


def check_next_char_pairs(pairs) -> bool:
    """``pairs(word, vocab)`` -> (input ids, target ids) for next-character prediction."""
    c = Checker("inputs and targets for autocompletion")
    for word, vocab in [("deep", sequences.DEEP_VOCAB), ("ped", sequences.DEEP_VOCAB),
                        ("rnn", sequences.LETTERS)]:  # fmt: skip
        got = c.call(pairs, word, vocab)
        if c.crashed:
            break
        x, y = sequences.next_char_pairs(word, vocab)
        if not c.returned(got):
            break
        if not c.require(
            isinstance(got, tuple | list) and len(got) == 2,
            f"expected a pair (inputs, targets), got {type(got).__name__}",
        ):
            break
        gx, gy = (list(map(int, v)) for v in got)
        if gx != x:
            c.fail(f"inputs for {word!r}: expected {x} (the ids of its letters), got {gx}")
        elif gy == vocab.encode(word):
            c.fail("the target at step t is the NEXT character: shift by one")
        elif gy == x[1:]:
            c.fail("after the last letter the model must predict <stop>: append vocab.stop_id")
        else:
            c.require(gy == y, f"targets for {word!r}: expected {y}, got {gy}")
        if c.problems:
            break
    return c.report()
