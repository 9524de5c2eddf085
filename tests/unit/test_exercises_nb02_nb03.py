"""The exercise checks of notebooks 02 and 03 accept right answers and explain wrong ones."""

import math

import numpy as np

from course_lib import neuron
from course_lib.exercises import nb02, nb03


def momentum_step(w, update_prev, grad, lr, gamma):
    update = gamma * update_prev + lr * grad
    return w - update, update


def test_momentum_step(capsys):
    assert nb02.check_momentum_step(momentum_step)
    assert "✅" in capsys.readouterr().out
    assert not nb02.check_momentum_step(lambda w, u, g, lr, gamma: (w - lr * g, lr * g))
    out = capsys.readouterr().out
    assert "ignores the history" in out and "update_prev=0.3" in out  # caught where u ≠ 0

    def ema(w, u, g, lr, gamma):
        update = gamma * u + (1 - gamma) * lr * g
        return w - update, update

    assert not nb02.check_momentum_step(ema)
    assert "no (1 − γ) factor" in capsys.readouterr().out
    uphill = lambda w, u, g, lr, gamma: (w + gamma * u + lr * g, gamma * u + lr * g)  # noqa: E731
    assert not nb02.check_momentum_step(uphill)
    assert "w_new = w − update" in capsys.readouterr().out
    assert not nb02.check_momentum_step(lambda *a: None)
    assert "returned None" in capsys.readouterr().out
    assert not nb02.check_momentum_step(lambda *a: 1.0)
    assert "expected a pair" in capsys.readouterr().out


def test_nag_step(capsys):
    def nag_step(w, update_prev, grad_fn, lr, gamma):
        update = gamma * update_prev + lr * grad_fn(w - gamma * update_prev)
        return w - update, update

    def at_w(w, update_prev, grad_fn, lr, gamma):  # momentum, not NAG
        update = gamma * update_prev + lr * grad_fn(w)
        return w - update, update

    def stub(w, update_prev, grad_fn, lr, gamma):
        raise NotImplementedError

    assert nag_step is not None and nb02.check_nag_step(nag_step)
    capsys.readouterr()
    assert not nb02.check_nag_step(at_w)
    assert "you evaluated the gradient at w_t" in capsys.readouterr().out
    assert not nb02.check_nag_step(stub)
    assert "not implemented yet" in capsys.readouterr().out
    assert not nb02.check_nag_step(lambda w, u, f, lr, g: (w, u))
    assert "call grad_fn(w_look)" in capsys.readouterr().out


def test_fastest(capsys):
    assert nb02.check_fastest("Momentum") and nb02.check_fastest(" momentum ")
    out = capsys.readouterr().out
    assert "Momentum 0.7071" in out and "NAG 0.7500" in out and "GD 0.9000" in out
    assert not nb02.check_fastest("NAG")
    assert "γ(1 − ηλ)" in capsys.readouterr().out
    assert not nb02.check_fastest("GD")
    assert "1 − ηλ = 0.9" in capsys.readouterr().out
    assert not nb02.check_fastest(None)


def test_momentum_rate(capsys):
    right = (1.45 + 0.1025**0.5) / 2
    assert nb02.check_momentum_rate(right) and nb02.check_momentum_rate(0.8851)
    assert "measured on a 300-step run: 0.8851" in capsys.readouterr().out
    for wrong, said in [
        (0.5**0.5, "roots are real"),
        (0.95, "gradient descent's rate"),
        ((1.45 - 0.1025**0.5) / 2, "smaller root"),
        (0.5, "product of the two roots"),
        (0.3, "z² − (1 + γ − ηλ) z + γ = 0"),
    ]:
        assert not nb02.check_momentum_rate(wrong)
        assert said in capsys.readouterr().out


def test_valley_tuning(capsys):
    assert nb02.check_valley_tuning((0.2, 0.84))
    assert "from step 63" in capsys.readouterr().out
    assert not nb02.check_valley_tuning((0.04, 0.9))  # the notebook's default: 190 steps
    assert "settles from step 190, over the budget of 100" in capsys.readouterr().out
    assert not nb02.check_valley_tuning((0.9, 0.04))
    assert "does not stay below 0.1 %" in capsys.readouterr().out
    assert not nb02.check_valley_tuning((0.2, 1.0))
    assert "γ must be in [0, 1)" in capsys.readouterr().out
    reach, run = nb02.valley_settles(0.2, 0.84)
    assert reach == 63 and not run.diverged


def test_updates_per_epoch(capsys):
    assert nb03.check_updates_per_epoch(lambda n, b: math.ceil(n / b))
    assert nb03.check_updates_per_epoch(lambda n, b: -(-n // b))
    capsys.readouterr()
    assert not nb03.check_updates_per_epoch(lambda n, b: n // b)
    assert "one more (smaller) batch" in capsys.readouterr().out
    assert not nb03.check_updates_per_epoch(lambda n, b: n / b)
    assert "whole number" in capsys.readouterr().out
    assert not nb03.check_updates_per_epoch(lambda n, b: None)
    assert "returned None" in capsys.readouterr().out


def test_minibatch_gradient(capsys):
    def right(w, b, X, Y, idx):
        gw, gb = neuron.gradient(w, b, X[idx], Y[idx])
        return gw / len(idx), gb / len(idx)

    def summed(w, b, X, Y, idx):
        return neuron.gradient(w, b, X[idx], Y[idx])

    def everything(w, b, X, Y, idx):
        gw, gb = neuron.gradient(w, b, X, Y)
        return gw / len(X), gb / len(X)

    assert nb03.check_minibatch_gradient(right)
    capsys.readouterr()
    assert not nb03.check_minibatch_gradient(summed)
    assert "divide by the batch size" in capsys.readouterr().out
    assert not nb03.check_minibatch_gradient(everything)
    assert "you used every point" in capsys.readouterr().out
    assert not nb03.check_minibatch_gradient(lambda *a: None)
    assert not nb03.check_minibatch_gradient(lambda *a: np.zeros(3))
    assert "expected a pair (2 values), got 3 values" in capsys.readouterr().out
    assert nb03.check_minibatch_gradient(lambda *a: np.array(right(*a)))  # 2 numbers in an array


def test_variance_factor(capsys):
    # by hand: (1/10)(990/999) / ((1/250)(750/999)) = 25 * 990 / 750 = 33
    assert nb03.check_variance_factor(33) and nb03.check_variance_factor(99 / 3)
    capsys.readouterr()
    wrongs = [(25, "σ²/B alone"), (33**0.5, "standard deviation"), (5, "√25"),
              (1 / 33, "fraction"), (25 * 750 / 990, "multiplies"), (4, "is not it")]  # fmt: skip
    for wrong, words in wrongs:
        assert not nb03.check_variance_factor(wrong)
        assert words in capsys.readouterr().out
    assert not nb03.check_variance_factor("four")
    assert not nb03.check_variance_factor(None)
