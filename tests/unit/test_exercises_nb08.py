import numpy as np

from course_lib import rnn
from course_lib.exercises import nb08


def test_jacobian_bound(capsys):
    r = {"tanh": 1.0, "logistic": 0.25}
    assert nb08.check_jacobian_bound(lambda a, omega, lag: (r[a] * omega) ** lag)
    assert "✅" in capsys.readouterr().out
    assert not nb08.check_jacobian_bound(lambda a, omega, lag: omega**lag)
    assert "r = 1/4" in capsys.readouterr().out
    assert not nb08.check_jacobian_bound(lambda a, omega, lag: r[a] * omega**lag)
    assert "(rω)^(t−k)" in capsys.readouterr().out
    assert not nb08.check_jacobian_bound(lambda a, omega, lag: None)
    assert "returned None" in capsys.readouterr().out


def test_clip(capsys):
    def right(grads, max_norm):
        norm = np.sqrt(sum((g**2).sum() for g in grads.values()))
        scale = min(1.0, max_norm / norm)
        return {k: g * scale for k, g in grads.items()}

    assert nb08.check_clip(right)
    assert "✅" in capsys.readouterr().out

    def per_key(grads, max_norm):
        return {k: g * min(1, max_norm / np.linalg.norm(g)) for k, g in grads.items()}

    assert not nb08.check_clip(per_key)
    assert "TOGETHER" in capsys.readouterr().out

    def always(grads, max_norm):
        norm = np.sqrt(sum((g**2).sum() for g in grads.values()))
        return {k: g * max_norm / norm for k, g in grads.items()}

    assert not nb08.check_clip(always)
    assert "left unchanged" in capsys.readouterr().out
    assert not nb08.check_clip(lambda g, m: {k: np.clip(v, -m, m) for k, v in g.items()})
    assert "np.clip" in capsys.readouterr().out
    assert not nb08.check_clip(lambda g, m: None)
    assert "returned None" in capsys.readouterr().out
    assert not nb08.check_clip(lambda g, m: list(right(g, m).values()))
    assert "expected a dict, got a list of 2 values" in capsys.readouterr().out
    assert not nb08.check_clip(lambda g, m: {"W": right(g, m)["W"]})
    assert "expected the keys ['W', 'b'], got ['W']" in capsys.readouterr().out


def chunked(params, X, y, k, carry=True, mean=False):
    """Written here from the exercise's text: chunks of k steps, the state carried."""
    loss, grads, state, n = 0.0, {key: 0.0 * v for key, v in params.items()}, None, 0
    for start in range(0, X.shape[1], k):
        cut = slice(start, start + k)
        l, g, end = rnn.loss_grads_and_state(params, X[:, cut], y[:, cut], s0=state)
        loss, state, n = loss + l, (end if carry else None), n + 1
        grads = {key: grads[key] + g[key] for key in grads}
    if mean:
        return loss / n, {key: g / n for key, g in grads.items()}
    return loss, grads


def test_chunked_gradient(capsys):
    assert nb08.check_chunked_gradient(chunked)
    assert "✅" in capsys.readouterr().out
    assert not nb08.check_chunked_gradient(lambda *a: chunked(*a, carry=False))
    assert "not from zeros" in capsys.readouterr().out
    assert not nb08.check_chunked_gradient(lambda *a: chunked(*a, mean=True))
    assert "you took their mean" in capsys.readouterr().out
    assert not nb08.check_chunked_gradient(lambda p, X, y, k: rnn.loss_and_grads(p, X, y))
    assert "full BPTT gradient" in capsys.readouterr().out
    assert not nb08.check_chunked_gradient(
        lambda p, X, y, k: rnn.loss_and_grads(p, X, y, truncate=k)
    )
    assert "per-term truncation" in capsys.readouterr().out

    def short(p, X, y, k):  # forgets the last, shorter chunk
        T = X.shape[1] // k * k
        return chunked(p, X[:, :T], y[:, :T], k)

    assert not nb08.check_chunked_gradient(short)
    assert "keep the last chunk" in capsys.readouterr().out
    assert not nb08.check_chunked_gradient(lambda *a: chunked(*a)[1])
    assert "expected a tuple (loss, grads)" in capsys.readouterr().out


def test_the_chunked_gradient_is_the_gradient_of_the_chunked_loss():
    """The checker's reference, against finite differences of the summed chunk losses with
    the carried states held constant (computed once at the start point)."""
    from course_lib import gradcheck

    params, X, y, k = nb08._chunk_cases()[0]
    states, state = [], None
    for start in range(0, X.shape[1], k):
        states.append(state)
        _, _, state = rnn.loss_grads_and_state(
            params, X[:, start : start + k], y[:, start : start + k], s0=state
        )

    def loss(p):
        return sum(
            rnn.loss_and_grads(p, X[:, i * k : (i + 1) * k], y[:, i * k : (i + 1) * k], s0=s)[0]
            for i, s in enumerate(states)
        )

    _, grads = nb08._chunked(params, X, y, k)
    assert max(gradcheck.check_gradients(loss, grads, params).values()) < 1e-7


def test_slope_bound(capsys):
    assert nb08.check_slope_bound((1 - np.tanh(0.5) ** 2) ** 20)
    assert "✅" in capsys.readouterr().out
    for wrong, words in [
        (1.0, "bound for ANY run"),
        (0.75**20, "not 1 − a²"),
        (1 - np.tanh(0.5) ** 2, "20 steps"),
        (np.tanh(0.5) ** 20, "tanh(0.5) is the state"),
        (0.25**20, "logistic"),
        (None, "still None"),
        ("0.0082", "expected a number"),
    ]:
        assert not nb08.check_slope_bound(wrong)
        assert words in capsys.readouterr().out
