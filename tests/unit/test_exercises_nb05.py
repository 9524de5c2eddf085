import numpy as np
import pytest

from course_lib.exercises import nb05


def adagrad(w, v, g, lr, eps):
    v = v + g**2
    return w - lr * g / (np.sqrt(v) + eps), v


def rmsprop(w, v, g, lr, beta, eps):
    v = beta * v + (1 - beta) * g**2
    return w - lr * g / (np.sqrt(v) + eps), v


def adam(w, m, v, g, t, lr, b1, b2, eps):
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g**2
    return w - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps), m, v


def test_adagrad(capsys):
    assert nb05.check_adagrad_step(adagrad)
    assert "✅" in capsys.readouterr().out
    wrongs = [
        (lambda w, v, g, lr, eps: (w - lr * g / (np.abs(g) + eps), g**2), "accumulate"),
        (lambda w, v, g, lr, eps: (w - lr * g / (np.sqrt(v + g) + eps), v + g), "squared"),
        (
            lambda w, v, g, lr, eps: (w - lr * g / np.sqrt(v + g**2 + eps), v + g**2),
            "outside the square root",
        ),
        (lambda w, v, g, lr, eps: (w - lr * g / (np.sqrt(v) + eps), v + g**2), "the new v"),
        (lambda w, v, g, lr, eps: w, "expected a tuple"),
    ]
    for wrong, words in wrongs:
        assert not nb05.check_adagrad_step(wrong)
        assert words in capsys.readouterr().out


def test_rmsprop(capsys):
    assert nb05.check_rmsprop_step(rmsprop)
    assert not nb05.check_rmsprop_step(lambda w, v, g, lr, b, eps: adagrad(w, v, g, lr, eps))
    assert "AdaGrad's running sum" in capsys.readouterr().out
    assert not nb05.check_rmsprop_step(lambda w, v, g, lr, b, eps: rmsprop(w, v, g, lr, 1 - b, eps))
    assert "not the other way round" in capsys.readouterr().out

    def eps_inside(w, v, g, lr, beta, eps):
        v = beta * v + (1 - beta) * g**2
        return w - lr * g / np.sqrt(v + eps), v

    assert not nb05.check_rmsprop_step(eps_inside)
    assert "outside the square root" in capsys.readouterr().out
    assert not nb05.check_rmsprop_step(lambda *a: None)
    assert "returned None" in capsys.readouterr().out


def adam_variant(w, m, v, g, t, lr, b1, b2, eps, power=None, hats=False, correct=True):
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g**2
    p = t if power is None else power
    m_hat, v_hat = (m / (1 - b1**p), v / (1 - b2**p)) if correct else (m, v)
    w = w - lr * m_hat / (np.sqrt(v_hat) + eps)
    return (w, m_hat, v_hat) if hats else (w, m, v)


def test_adam(capsys):
    assert nb05.check_adam_step(adam)
    assert "✅" in capsys.readouterr().out
    wrongs = [
        ({"correct": False}, "bias correction missing"),
        ({"hats": True}, "the hats are only for the update"),
    ]
    for options, words in wrongs:
        assert not nb05.check_adam_step(lambda *a, o=options: adam_variant(*a, **o))
        assert words in capsys.readouterr().out
    assert not nb05.check_adam_step(lambda *a: adam_variant(*a, power=a[4] - 1))
    assert "not β^(t−1)" in capsys.readouterr().out
    assert not nb05.check_adam_step(lambda *a: (1.0, 2.0))
    assert "expected a tuple" in capsys.readouterr().out


def test_second_step_without_correction(capsys):
    # by hand: m1 = 0.2, v1 = 0.04; m2 = 0.9*0.2 + 0.1*1 = 0.28; v2 = 0.99*0.04 + 0.01 = 0.0496
    right = 0.28 / np.sqrt(0.0496)
    assert right == pytest.approx(1.2572, abs=1e-4)
    assert nb05.check_second_step_without_correction(right)
    with_hats = (0.28 / 0.19) / np.sqrt(0.0496 / 0.0199)
    for wrong, words in [(with_hats, "*with* bias correction"), (1.0, "first step"),
                         (0.28 / np.sqrt(0.999 * 0.004 + 0.001), "not the default 0.999"),
                         (1.3, "is not it")]:  # fmt: skip
        assert not nb05.check_second_step_without_correction(wrong)
        assert words in capsys.readouterr().out
    assert not nb05.check_second_step_without_correction(None)
    assert "replace None with your answer" in capsys.readouterr().out


def amsgrad_by_hand(w, m, v, v_max, g, t, lr, b1, b2, eps, *, max_of_hats=False, adam=False):
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g**2
    c1, c2 = 1 - b1**t, 1 - b2**t
    if max_of_hats:
        v_max = np.maximum(v_max, v / c2)
        return w - lr * (m / c1) / (np.sqrt(v_max) + eps), m, v, v_max
    v_max = np.maximum(v_max, v)
    used = v if adam else v_max
    return w - lr * (m / c1) / (np.sqrt(used / c2) + eps), m, v, v_max


def test_amsgrad_step(capsys):
    assert nb05.check_amsgrad_step(amsgrad_by_hand)
    assert "✅" in capsys.readouterr().out
    assert not nb05.check_amsgrad_step(lambda *a: amsgrad_by_hand(*a, max_of_hats=True))
    assert "raw v" in capsys.readouterr().out
    assert not nb05.check_amsgrad_step(lambda *a: amsgrad_by_hand(*a, adam=True))
    assert "that is Adam's step" in capsys.readouterr().out
    assert not nb05.check_amsgrad_step(lambda *a: amsgrad_by_hand(*a)[:3])
    assert "expected a tuple" in capsys.readouterr().out
