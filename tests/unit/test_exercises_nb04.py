import math

import numpy as np

from course_lib.exercises import nb04


def test_exponential_decay(capsys):
    assert nb04.check_exponential_decay(lambda lr0, k, t: lr0 * np.exp(-k * t))
    assert "✅" in capsys.readouterr().out
    assert not nb04.check_exponential_decay(lambda lr0, k, t: lr0 ** (-k * t))
    assert "notes' slip" in capsys.readouterr().out
    assert not nb04.check_exponential_decay(lambda lr0, k, t: lr0 * np.exp(k * t))
    assert "grows" in capsys.readouterr().out
    assert not nb04.check_exponential_decay(lambda lr0, k, t: lr0 / (1 + k * t))
    assert "1/t decay" in capsys.readouterr().out
    assert not nb04.check_exponential_decay(lambda lr0, k, t: None)
    assert "returned None" in capsys.readouterr().out


def test_step_decay(capsys):
    assert nb04.check_step_decay(lambda lr0, d, e, t: lr0 * d ** (t // e))
    assert not nb04.check_step_decay(lambda lr0, d, e, t: lr0 * d ** (t / e))
    assert "t // every" in capsys.readouterr().out
    assert not nb04.check_step_decay(lambda lr0, d, e, t: lr0 * d ** ((t + 1) // e))
    assert "off by one" in capsys.readouterr().out
    assert not nb04.check_step_decay(lambda lr0, d, e, t: lr0 * d ** math.ceil(t / e))
    assert "off by one" in capsys.readouterr().out


def right_halving(lr0, losses):
    lrs = [lr0]
    for prev, cur in zip(losses, losses[1:], strict=False):
        lrs.append(lrs[-1] / 2 if cur > prev else lrs[-1])
    return lrs


def test_halving(capsys):
    assert nb04.check_halving(right_halving)
    assert "✅" in capsys.readouterr().out

    def when_falls(lr0, losses):
        lrs = [lr0]
        for prev, cur in zip(losses, losses[1:], strict=False):
            lrs.append(lrs[-1] / 2 if cur < prev else lrs[-1])
        return lrs

    def against_best(lr0, losses):
        lrs, best = [lr0], losses[0]
        for cur in losses[1:]:
            lrs.append(lrs[-1] / 2 if cur > best else lrs[-1])
            best = min(best, cur)
        return lrs

    def on_equal(lr0, losses):
        lrs = [lr0]
        for prev, cur in zip(losses, losses[1:], strict=False):
            lrs.append(lrs[-1] / 2 if cur >= prev else lrs[-1])
        return lrs

    for wrong, words in [
        (when_falls, "halved when the loss fell"),
        (against_best, "not with the best so far"),
        (on_equal, "not a rise"),
        (lambda lr0, losses: right_halving(lr0, losses)[1:], "one η per validation loss"),
    ]:
        assert not nb04.check_halving(wrong)
        assert words in capsys.readouterr().out
    assert not nb04.check_halving(lambda lr0, losses: None)
    assert "returned None" in capsys.readouterr().out


def test_momentum_schedule(capsys):
    def right(t, gamma_max):
        return min(1 - 2 ** (-1 - math.log2(t // 250 + 1)), gamma_max)

    assert nb04.check_momentum_schedule(right)
    assert not nb04.check_momentum_schedule(lambda t, m: 1 - 2 ** (-1 - math.log2(t // 250 + 1)))
    assert "cap it" in capsys.readouterr().out
    assert not nb04.check_momentum_schedule(lambda t, m: min(1 - 2 ** (-1 - math.log2(t + 1)), m))
    assert "blocks of 250" in capsys.readouterr().out
    assert not nb04.check_momentum_schedule(
        lambda t, m: min(1 - math.exp(-1 - math.log2(t // 250 + 1)), m)
    )
    assert "base is 2" in capsys.readouterr().out

    def stub(t, gamma_max):
        raise NotImplementedError

    assert not nb04.check_momentum_schedule(stub)
    assert "not implemented yet" in capsys.readouterr().out


def test_gamma_reaches(capsys):
    # independent: the first t whose block k = t // 250 gives 1 - 1/(2(k+1)) >= 0.95, by search
    first = next(t for t in range(0, 10_000, 250) if 1 - 1 / (2 * (t // 250 + 1)) >= 0.95)
    assert first == 2250
    assert nb04.check_gamma_reaches(first)
    for wrong, words in [(2249, "last step"), (2500, "k = 9"), (1000, "reaches 0.9"),
                         (2000, "block number"), (2251, "is not it")]:  # fmt: skip
        assert not nb04.check_gamma_reaches(wrong)
        assert words in capsys.readouterr().out


def test_plateau_by_hand(capsys):
    from course_lib import schedules

    losses = [1.00, 0.90, 0.95, 0.92, 0.88, 0.93, 0.80, 0.85]
    rule = schedules.ReduceLROnPlateau(factor=0.5, patience=1, threshold=0.05)
    assert schedules.lrs_under(rule, 1.0, losses)[-1] == 0.25  # the hand trace agrees
    assert nb04.check_plateau_by_hand(0.25)
    for wrong, words in [(0.125, "notes' rule"), (0.5, "threshold"), (0.03125, "exceeds"),
                         (1.0, "two epochs in a row"), (0.3, "is not it")]:  # fmt: skip
        assert not nb04.check_plateau_by_hand(wrong)
        assert words in capsys.readouterr().out
