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


# --- Exercise 3: the full backward pass, against finite differences -----------------------------


def softmax_rows(o):
    e = np.exp(o - o.max())
    return e / e.sum()


def backward_written_out(U, W, b, V, c, xs, ys, flip=False, slope=True, forwards=False,
                         current=False):  # fmt: skip
    """An answer as a student writes it (independent of the checker's reference), with the
    same four slips as switches."""
    T, d = len(xs), len(b)
    s = np.zeros((T + 1, d))
    y_hat = np.zeros((T, len(c)))
    for t in range(1, T + 1):
        s[t] = np.tanh(U @ xs[t - 1] + W @ s[t - 1] + b)
        y_hat[t - 1] = softmax_rows(V @ s[t] + c)
    dU, dW, db = np.zeros_like(U), np.zeros_like(W), np.zeros_like(b)
    dV, dc = np.zeros_like(V), np.zeros_like(c)
    ds_next = np.zeros(d)
    for t in range(1, T + 1) if forwards else range(T, 0, -1):
        do = y_hat[t - 1].copy()
        do[ys[t - 1]] -= 1.0
        dV += np.outer(do, s[t])
        dc += do
        da = (V.T @ do + ds_next) * ((1 - s[t] ** 2) if slope else 1)
        dU += np.outer(da, xs[t - 1])
        dW += np.outer(da, s[t] if current else s[t - 1])
        db += da
        ds_next = (W if flip else W.T) @ da
    return {"U": dU, "W": dW, "b": db, "V": dV, "c": dc}


def test_rnn_backward_right_and_each_named_slip(capsys):
    assert nb07.check_rnn_backward(backward_written_out)
    assert "✅" in capsys.readouterr().out
    for slip, message in [
        ({"flip": True}, "through Wᵀ, not W"),
        ({"slope": False}, "1 − s_t²"),
        ({"forwards": True}, "sum from the end"),
        ({"current": True}, "holds s_{t−1}"),
    ]:
        assert not nb07.check_rnn_backward(
            lambda *a, slip=slip: backward_written_out(*a, **slip)
        ), slip
        assert message in capsys.readouterr().out, slip


def test_rnn_backward_rejects_other_forms(capsys):
    def as_tuple(*args):
        g = backward_written_out(*args)
        return tuple(g[k] for k in "UWbVc")

    assert not nb07.check_rnn_backward(as_tuple)
    assert not nb07.check_rnn_backward(lambda *a: {k: v for k, v in backward_written_out(*a).items()
                                                   if k != "c"})  # fmt: skip
    out = capsys.readouterr().out
    assert "Traceback" not in out and out.count("❌") == 2
    half = {k: v / 2 for k, v in backward_written_out(*_args()).items()}
    assert not nb07.check_rnn_backward(lambda *a: half)


def _args():
    p, _, _ = nb07._case(0)
    rng = np.random.default_rng(10)
    return (*(p[k] for k in "UWbVc"), rng.standard_normal((5, 3)), rng.integers(3, size=5))


def test_rnn_backward_reference_matches_finite_differences():
    """The checker's expected answer is a finite-difference gradient; the slips' reference
    with every switch on must agree with it (else a right answer could be named a slip)."""
    from course_lib import gradcheck, rnn

    U, W, b, V, c, xs, ys = _args()
    p = {"U": U, "W": W, "b": b, "V": V, "c": c}

    def loss(q):
        probs, _ = rnn.forward(q, xs[None])
        return -np.log(probs[0, np.arange(len(ys)), ys]).sum()

    fd = gradcheck.numerical_gradient(loss, {k: v.copy() for k, v in p.items()})
    ref = nb07._backward(p, xs, ys)
    assert max(gradcheck.relative_error(ref[k], fd[k]) for k in p) < 1e-7


# --- Exercise 4: how far back the gradient must reach --------------------------------------------


def test_truncation_lengths_by_an_independent_loop(capsys):
    """The smallest truncation length k, found here from rnn.loss_and_grads on the first 9
    steps with ℓ_9 alone and truncate=k (the same truncation, another code path)."""
    from course_lib import gradcheck, rnn
    from course_lib import sequences as sq

    params = rnn.init_params(27, 6, 27, rng=0)
    ids, targets = sq.next_char_pairs("sequences", sq.LETTERS)
    X = sq.LETTERS.one_hot(ids)[None]
    found = []
    for omega in (0.5, 1.0):
        p = dict(params, W=omega * params["W"])
        y = np.array([targets[-1]])
        full = rnn.loss_and_grads(p, X, y, many_to_one=True)[1]["W"]
        for k in range(1, 10):
            cut = rnn.loss_and_grads(p, X, y, many_to_one=True, truncate=k)[1]["W"]
            if gradcheck.relative_error(cut, full) < 0.05:
                found.append(k)
                break
    assert tuple(found) == nb07.truncation_lengths() == (4, 8)
    assert nb07.check_truncation_lengths((4, 8))
    assert not nb07.check_truncation_lengths((8, 4))
    assert "other ω" in capsys.readouterr().out
    assert not nb07.check_truncation_lengths((4, 9))
    assert "term j = 1, which is 0" in capsys.readouterr().out
    assert not nb07.check_truncation_lengths((3, 8))
    assert "BELOW 0.05" in capsys.readouterr().out
    assert not nb07.check_truncation_lengths("4, 8")
    assert "expected a tuple" in capsys.readouterr().out
