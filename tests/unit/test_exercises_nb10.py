import math

import numpy as np

from course_lib import rnn
from course_lib.exercises import nb10


def test_temperature(capsys):
    assert nb10.check_temperature(lambda p, tau: rnn.softmax(np.log(p) / tau))
    assert "✅" in capsys.readouterr().out
    assert not nb10.check_temperature(lambda p, tau: rnn.softmax(np.log(p) * tau))
    assert "divide by τ" in capsys.readouterr().out
    assert not nb10.check_temperature(lambda p, tau: p ** (1 / tau))
    assert "normalise" in capsys.readouterr().out
    assert not nb10.check_temperature(lambda p, tau: None)

    def stub(p, tau):
        raise NotImplementedError

    assert not nb10.check_temperature(stub)
    assert "not implemented yet" in capsys.readouterr().out


def test_completion_probability(capsys):
    assert nb10.check_completion_probability(lambda chars, stop: math.prod(chars) * stop)
    assert not nb10.check_completion_probability(lambda chars, stop: math.prod(chars))
    assert "⟨stop⟩" in capsys.readouterr().out
    assert not nb10.check_completion_probability(lambda chars, stop: sum(chars) + stop)
    assert "chain rule" in capsys.readouterr().out
    assert not nb10.check_completion_probability(lambda chars, stop: None)


def test_perplexity(capsys):
    assert nb10.check_perplexity(math.exp)
    assert not nb10.check_perplexity(lambda loss: 2**loss)
    assert "natural logarithm" in capsys.readouterr().out
    assert not nb10.check_perplexity(lambda loss: loss)
    assert math.isclose(math.exp(3.2958), 27.0, rel_tol=1e-4)  # log 27: a uniform guess


def test_half_remembered(capsys):
    # By hand: −log 1 = 0 at the first recall step, −log(1/8) = log 8 at the second; mean.
    assert nb10.check_half_remembered((0.0 + math.log(8)) / 2)
    assert "✅" in capsys.readouterr().out
    assert nb10.check_half_remembered(1.0397)  # log 8 / 2 = 1.03972... to 4 digits
    for wrong, words in [
        (math.log(8), "remembers nothing"),
        (1.5, "natural logarithm"),
        (math.log(17) / 2, "17 symbols"),
        (0.5625, "not the probability"),
        (1.1, "recall loss"),
        (None, "still None"),
        ("1.04", "expected a number"),
    ]:
        assert not nb10.check_half_remembered(wrong)
        assert words in capsys.readouterr().out
