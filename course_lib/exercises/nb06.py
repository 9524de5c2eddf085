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


def scored_loss(losses, task: str) -> float:
    """The loss a task scores from per-step losses ℓ_1..ℓ_T: all of them for autocompletion
    and tagging (many-to-many), only ℓ_T for sentiment (many-to-one)."""
    return float(losses[-1]) if task == "sentiment" else float(sum(losses))


def check_task_loss(task_loss) -> bool:
    """``task_loss(losses, task)`` -> the loss that ``task`` scores from the per-step losses."""
    with Checker("the loss each task scores") as c:
        for losses in ([0.5, 1.25, 2.0, 0.25], [3.0], [0.1, 0.2, 0.4, 0.8, 1.6, 3.2]):
            for task in ("autocompletion", "tagging", "sentiment"):
                got = c.call(task_loss, list(losses), task)
                slips = {
                    "the course's loss is the sum over the scored steps, not their mean": sum(
                        losses
                    )
                    / len(losses),
                    "the last output is ℓ_T = losses[-1], not losses[0]": losses[0],
                }
                if task == "sentiment":
                    slips["sentiment scores only the last output: ℓ_T, not the sum"] = sum(losses)
                else:
                    slips["only sentiment is many-to-one: the other tasks score every step"] = (
                        losses[-1]
                    )
                c.close(f"the {task} loss of per-step losses {losses}", got,
                        scored_loss(losses, task), slips=slips)  # fmt: skip
    return c.report()


#: The words of Exercise 4 and the steps where the input alone cannot give the target.
AMBIGUOUS_WORDS = ("banana", "mississippi")


def check_ambiguous_steps(steps) -> bool:
    """``steps`` = (steps of "banana", steps of "mississippi"): for autocompletion, the
    1-based steps whose input letter occurs at another step with a different target."""
    with Checker("where the current letter is not enough") as c:
        got = c.parts(steps, 2, "(steps of 'banana', steps of 'mississippi')")
        for word, answer in zip(AMBIGUOUS_WORDS, got, strict=True):
            x, y = sequences.next_char_pairs(word, sequences.LETTERS)
            expected = _ambiguous(x, y)
            c.equal(f"the steps of {word!r} (in increasing order)", answer, expected, slips={
                "steps are numbered from 1 (t = 1 is the first letter), not from 0":
                    [t - 1 for t in expected],
                "the target after the last letter is <stop>: it differs from the other "
                "targets of that letter": _ambiguous(x[:-1], y[:-1]),
                "list every step whose letter has more than one target, not only the later "
                "ones": lambda g: set(g) < set(expected),
            })  # fmt: skip
    return c.report()


def _ambiguous(x: list[int], y: list[int]) -> list[int]:
    """1-based steps t whose input x_t occurs with two different targets."""
    targets: dict[int, set[int]] = {}
    for a, b in zip(x, y, strict=True):
        targets.setdefault(a, set()).add(b)
    return [t + 1 for t, a in enumerate(x) if len(targets[a]) > 1]
