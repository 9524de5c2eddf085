import numpy as np

from course_lib import neuron
from course_lib.exercises import nb01


def right_grad_b(w, b, X, Y):
    f = 1 / (1 + np.exp(-(w * X + b)))
    return np.sum((f - Y) * f * (1 - f))


def test_grad_b_accepts_the_formula(capsys):
    assert nb01.check_grad_b(right_grad_b)
    assert "✅" in capsys.readouterr().out


def test_grad_b_spots_grad_w(capsys):
    assert not nb01.check_grad_b(lambda w, b, X, Y: neuron.gradient(w, b, X, Y)[0])
    assert "that is ∇w" in capsys.readouterr().out


def test_grad_b_handles_stubs_and_crashes(capsys):
    assert not nb01.check_grad_b(lambda w, b, X, Y: None)
    assert "returned None" in capsys.readouterr().out

    def broken(w, b, X, Y):
        raise NotImplementedError

    assert not nb01.check_grad_b(broken)
    assert "not implemented yet" in capsys.readouterr().out
    assert not nb01.check_grad_b(lambda w, b, X, Y: 1 / 0)
    assert "ZeroDivisionError" in capsys.readouterr().out


def test_gd_step_right_and_wrong(capsys):
    def step(w, b, eta, X, Y):
        gw, gb = neuron.gradient(w, b, X, Y)
        return w - eta * gw, b - eta * gb

    def uphill(w, b, eta, X, Y):
        gw, gb = neuron.gradient(w, b, X, Y)
        return w + eta * gw, b + eta * gb

    assert nb01.check_gd_step(step)
    assert not nb01.check_gd_step(uphill)
    assert "against it" in capsys.readouterr().out
    assert not nb01.check_gd_step(lambda *a: (0.0, 0.0))
    assert not nb01.check_gd_step(lambda *a: 3.0)
    assert "expected a pair" in capsys.readouterr().out
    assert not nb01.check_gd_step(lambda *a: None)


def test_lr_threshold(capsys):
    assert nb01.check_lr_threshold(0.2)
    assert not nb01.check_lr_threshold(2.0)
    assert "steeper b direction" in capsys.readouterr().out
    assert not nb01.check_lr_threshold(None)
    assert not nb01.check_lr_threshold(0.5)


def test_lr_threshold_names_the_typical_wrong_thresholds(capsys):
    assert not nb01.check_lr_threshold(0.1)
    assert "jump to the minimum in one step" in capsys.readouterr().out
    assert not nb01.check_lr_threshold(0.199)  # "the largest η that converges"
    assert "no largest converging η" in capsys.readouterr().out
    assert not nb01.check_lr_threshold(2 / 11)
    assert "converges fastest" in capsys.readouterr().out
    assert not nb01.check_lr_threshold(0.21)
    assert "b grows at every step" in capsys.readouterr().out


def test_at_threshold_b_oscillates(capsys):
    assert nb01.check_at_threshold("oscillates") and nb01.check_at_threshold(" Oscillates ")
    assert not nb01.check_at_threshold("converges")
    assert "b never gets closer" in capsys.readouterr().out
    assert not nb01.check_at_threshold("diverges")
    assert "never grows" in capsys.readouterr().out
    assert not nb01.check_at_threshold(0.2)
    assert "answer with one of" in capsys.readouterr().out
