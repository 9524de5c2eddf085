import numpy as np

from course_lib.exercises import nb07


def softmax(o):
    e = np.exp(o - o.max())
    return e / e.sum()


def right_step(U, W, b, V, c, x, s_prev):
    s = np.tanh(U @ x + W @ s_prev + b)
    return s, softmax(V @ s + c)


def test_rnn_step_accepts_the_equations_and_spots_mistakes(capsys):
    assert nb07.check_rnn_step(right_step)
    assert "✅" in capsys.readouterr().out

    def no_w(U, W, b, V, c, x, s):
        return (np.tanh(U @ x + b), softmax(V @ np.tanh(U @ x + b) + c))

    assert not nb07.check_rnn_step(no_w)
    assert "W s_prev" in capsys.readouterr().out

    def logits(U, W, b, V, c, x, s_prev):
        s = np.tanh(U @ x + W @ s_prev + b)
        return s, V @ s + c

    assert not nb07.check_rnn_step(logits)
    assert "softmax" in capsys.readouterr().out

    def transposed(U, W, b, V, c, x, s_prev):
        s = np.tanh(U @ x + W.T @ s_prev + b)
        return s, softmax(V @ s + c)

    assert not nb07.check_rnn_step(transposed)
    assert "not Wᵀ" in capsys.readouterr().out
    assert not nb07.check_rnn_step(lambda *a: None)
    assert "returned None" in capsys.readouterr().out
    assert not nb07.check_rnn_step(lambda *a: right_step(*a)[0])
    assert "expected a tuple (s, y_hat), got an array of shape (4,)" in capsys.readouterr().out


def test_bptt_step(capsys):
    def right(delta_next, s_next, W, dl_ds):
        return dl_ds + W.T @ ((1 - s_next**2) * delta_next)

    assert nb07.check_bptt_step(right)
    assert not nb07.check_bptt_step(lambda dn, sn, W, dl: dl + W @ ((1 - sn**2) * dn))
    assert "transposed" in capsys.readouterr().out
    assert not nb07.check_bptt_step(lambda dn, sn, W, dl: dl + W.T @ dn)
    assert "1 − s_{t+1}²" in capsys.readouterr().out
    assert not nb07.check_bptt_step(lambda dn, sn, W, dl: W.T @ ((1 - sn**2) * dn))
    assert "∂ℓ_t/∂s_t" in capsys.readouterr().out

    def stub(*args):
        raise NotImplementedError

    assert not nb07.check_bptt_step(stub)
    assert "not implemented" in capsys.readouterr().out


def test_rnn_step_spots_the_logistic_function(capsys):
    def logistic_step(U, W, b, V, c, x, s_prev):
        s = 1 / (1 + np.exp(-(U @ x + W @ s_prev + b)))
        return s, softmax(V @ s + c)

    assert not nb07.check_rnn_step(logistic_step)
    assert "uses tanh for σ, not the logistic function" in capsys.readouterr().out
