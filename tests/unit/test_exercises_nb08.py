import numpy as np

from course_lib.exercises import nb08


def test_jacobian_bound(capsys):
    gamma = {"tanh": 1.0, "logistic": 0.25}
    assert nb08.check_jacobian_bound(lambda a, lam, lag: (gamma[a] * lam) ** lag)
    assert "✅" in capsys.readouterr().out
    assert not nb08.check_jacobian_bound(lambda a, lam, lag: lam**lag)
    assert "γ = 1/4" in capsys.readouterr().out
    assert not nb08.check_jacobian_bound(lambda a, lam, lag: gamma[a] * lam**lag)
    assert "(γλ)^(t−k)" in capsys.readouterr().out
    assert not nb08.check_jacobian_bound(lambda a, lam, lag: None)
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
