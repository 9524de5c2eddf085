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
